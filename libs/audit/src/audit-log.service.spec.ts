import { changedFields } from './audit-log.service';

type Snapshot = Record<string, unknown>;
const HOURS_MON_TUE = { mon: [['09:00', '17:00']], tue: [['09:00', '12:00']] };
// What a client sends: the days in week order.
const HOURS_SENT = { mon: [['09:00', '17:00']], fri: [['09:00', '12:00']] };
// What PostgreSQL's jsonb hands back for it: object keys shorter first, then bytewise.
const HOURS_AS_JSONB = { fri: [['09:00', '12:00']], mon: [['09:00', '17:00']] };

describe('changedFields', () => {
  it.each<[string, Snapshot, Snapshot]>([
    ['two empty snapshots', {}, {}],
    [
      'identical scalars',
      { name: 'Anna', capacity: 10, active: true },
      { name: 'Anna', capacity: 10, active: true },
    ],
    [
      'the same keys in another order',
      { name: 'Anna', capacity: 10 },
      { capacity: 10, name: 'Anna' },
    ],
    ['equal nulls', { trainedAt: null }, { trainedAt: null }],
    [
      'equal arrays in different instances',
      { languages: ['nl', 'en'] },
      { languages: ['nl', 'en'] },
    ],
    ['equal empty arrays', { languages: [] }, { languages: [] }],
    [
      'equal nested objects',
      { businessHours: structuredClone(HOURS_MON_TUE) },
      { businessHours: structuredClone(HOURS_MON_TUE) },
    ],
    [
      'equal arrays of objects',
      { rows: [{ role: 'agent', respond: true }] },
      { rows: [{ role: 'agent', respond: true }] },
    ],
    [
      'equal dates in different instances',
      { at: new Date('2026-01-01T00:00:00Z') },
      { at: new Date('2026-01-01T00:00:00Z') },
    ],
    [
      'keys only in before (not compared)',
      { name: 'Anna', email: 'a@example.org' },
      { name: 'Anna' },
    ],
    // Compared by value: an object's key order is not part of its value.
    [
      'a nested object whose keys come back in another order',
      { businessHours: HOURS_AS_JSONB },
      { businessHours: HOURS_SENT },
    ],
    [
      'policy rows whose keys come back in jsonb order',
      {
        rows: [
          { role: 'employee', respond: false, trained: true, approval: false, template: false },
        ],
      },
      {
        rows: [
          { role: 'employee', trained: true, respond: false, approval: false, template: false },
        ],
      },
    ],
  ])('no change: %s → null', (_label, before, after) => {
    expect(changedFields(before, after)).toBeNull();
  });

  it.each<[string, Snapshot, Snapshot, Snapshot, Snapshot]>([
    [
      'one scalar',
      { name: 'Anna', capacity: 10 },
      { name: 'Anne', capacity: 10 },
      { name: 'Anna' },
      { name: 'Anne' },
    ],
    [
      'two of three scalars',
      { name: 'Anna', capacity: 10, active: true },
      { name: 'Anne', capacity: 10, active: false },
      { name: 'Anna', active: true },
      { name: 'Anne', active: false },
    ],
    [
      'a number to a string of it',
      { capacity: 10 },
      { capacity: '10' },
      { capacity: 10 },
      { capacity: '10' },
    ],
    [
      'a value to null',
      { trainedAt: '2026-01-01T00:00:00.000Z' },
      { trainedAt: null },
      { trainedAt: '2026-01-01T00:00:00.000Z' },
      { trainedAt: null },
    ],
    [
      'null to a value',
      { trainedAt: null },
      { trainedAt: '2026-01-01T00:00:00.000Z' },
      { trainedAt: null },
      { trainedAt: '2026-01-01T00:00:00.000Z' },
    ],
    [
      '0 to 1 (0 is kept, not made null)',
      { capacity: 0 },
      { capacity: 1 },
      { capacity: 0 },
      { capacity: 1 },
    ],
    ['1 to 0', { capacity: 1 }, { capacity: 0 }, { capacity: 1 }, { capacity: 0 }],
    [
      'false to true (false is kept)',
      { active: false },
      { active: true },
      { active: false },
      { active: true },
    ],
    ['true to false', { active: true }, { active: false }, { active: true }, { active: false }],
    ["'' to text ('' is kept)", { name: '' }, { name: 'Anna' }, { name: '' }, { name: 'Anna' }],
    [
      'an array element',
      { languages: ['nl'] },
      { languages: ['en'] },
      { languages: ['nl'] },
      { languages: ['en'] },
    ],
    [
      'an array grown',
      { languages: ['nl'] },
      { languages: ['nl', 'en'] },
      { languages: ['nl'] },
      { languages: ['nl', 'en'] },
    ],
    [
      'an array emptied',
      { languages: ['nl'] },
      { languages: [] },
      { languages: ['nl'] },
      { languages: [] },
    ],
    [
      'an array reordered',
      { languages: ['nl', 'en'] },
      { languages: ['en', 'nl'] },
      { languages: ['nl', 'en'] },
      { languages: ['en', 'nl'] },
    ],
    [
      'a nested value deep down (the whole field is reported)',
      { businessHours: { mon: [['09:00', '17:00']] } },
      { businessHours: { mon: [['09:00', '18:00']] } },
      { businessHours: { mon: [['09:00', '17:00']] } },
      { businessHours: { mon: [['09:00', '18:00']] } },
    ],
    [
      'a nested key added',
      { businessHours: { mon: [] } },
      { businessHours: { mon: [], tue: [] } },
      { businessHours: { mon: [] } },
      { businessHours: { mon: [], tue: [] } },
    ],
    [
      'an object to null',
      { businessHours: { mon: [] } },
      { businessHours: null },
      { businessHours: { mon: [] } },
      { businessHours: null },
    ],
    ['a missing before value becomes null', {}, { name: 'Anna' }, { name: null }, { name: 'Anna' }],
    [
      'an undefined before value becomes null',
      { name: undefined },
      { name: 'Anna' },
      { name: null },
      { name: 'Anna' },
    ],
    [
      'missing before values next to present ones',
      { name: 'Anna' },
      { name: 'Anne', role: 'agent', capacity: 5 },
      { name: 'Anna', role: null, capacity: null },
      { name: 'Anne', role: 'agent', capacity: 5 },
    ],
  ])('change: %s', (_label, before, after, expectedBefore, expectedAfter) => {
    expect(changedFields(before, after)).toEqual({ before: expectedBefore, after: expectedAfter });
  });

  it('reports only the changed keys, and the same keys on both sides', () => {
    const before = { a: 1, b: [1, 2], c: { x: 1 }, d: 'same', e: null };
    const after = { a: 2, b: [1, 2], c: { x: 2 }, d: 'same', e: null };
    const change = changedFields(before, after)!;
    expect(Object.keys(change.before).sort()).toEqual(['a', 'c']);
    expect(Object.keys(change.after).sort()).toEqual(['a', 'c']);
  });

  it('does not change its inputs', () => {
    const before = { name: 'Anna', languages: ['nl'] };
    const after = { name: 'Anne', languages: ['nl', 'en'], role: 'agent' };
    const copies = structuredClone({ before, after });
    changedFields(before, after);
    expect({ before, after }).toEqual(copies);
  });
});
