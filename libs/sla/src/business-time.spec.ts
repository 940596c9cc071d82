import type { BusinessHours } from '@toonbank/shared';
import { addBusinessMinutes } from './business-time';

const OFFICE: BusinessHours = {
  mon: [['08:00', '20:00']],
  tue: [['08:00', '20:00']],
  wed: [['08:00', '20:00']],
  thu: [['08:00', '20:00']],
  fri: [['08:00', '17:00']],
  sat: [['10:00', '14:00']],
};
const LUNCH: BusinessHours = {
  mon: [
    ['09:00', '12:00'],
    ['13:00', '17:00'],
  ],
};
const AMS = 'Europe/Amsterdam';

describe('addBusinessMinutes', () => {
  // [label, start (UTC), minutes, hours, zone, due (UTC)]
  it.each([
    ['always open: plain minutes', '2026-11-25T10:00:00Z', 60, null, AMS, '2026-11-25T11:00:00Z'],
    [
      'inside opening hours (Wednesday 11:00 in Amsterdam, UTC+1)',
      '2026-11-25T10:00:00Z',
      60,
      OFFICE,
      AMS,
      '2026-11-25T11:00:00Z',
    ],
    [
      'before opening: the clock starts at 08:00',
      '2026-11-25T05:00:00Z',
      60,
      OFFICE,
      AMS,
      '2026-11-25T08:00:00Z',
    ],
    [
      'across the evening close into the next morning',
      '2026-11-25T18:30:00Z',
      60,
      OFFICE,
      AMS,
      '2026-11-26T07:30:00Z',
    ],
    [
      'Friday closes at 17:00, Saturday opens at 10:00',
      '2026-11-27T15:30:00Z',
      60,
      OFFICE,
      AMS,
      '2026-11-28T09:30:00Z',
    ],
    [
      'Saturday after 14:00: Sunday is closed, so Monday',
      '2026-11-28T14:00:00Z',
      60,
      OFFICE,
      AMS,
      '2026-11-30T08:00:00Z',
    ],
    [
      'a lunch break pauses the clock',
      '2026-11-23T10:30:00Z',
      60,
      LUNCH,
      AMS,
      '2026-11-23T12:30:00Z',
    ],
    [
      'a Monday-only week waits for the next Monday',
      '2026-11-23T16:30:00Z',
      60,
      LUNCH,
      AMS,
      '2026-11-30T09:00:00Z',
    ],
    [
      'exactly at closing time: the next opening',
      '2026-11-25T19:00:00Z',
      30,
      OFFICE,
      AMS,
      '2026-11-26T07:30:00Z',
    ],
    [
      'another zone: New York business hours',
      '2026-11-25T13:00:00Z',
      60,
      { wed: [['09:00', '17:00']] },
      'America/New_York',
      '2026-11-25T15:00:00Z',
    ],
    [
      'until midnight with 24:00',
      '2026-11-25T22:30:00Z',
      60,
      { wed: [['20:00', '24:00']], thu: [['00:00', '02:00']] },
      AMS,
      '2026-11-25T23:30:00Z',
    ],
    [
      'daylight saving starts (Sunday 29 March 2026, 02:00 → 03:00)',
      '2026-03-28T23:30:00Z',
      60,
      { sun: [['00:00', '24:00']] },
      AMS,
      '2026-03-29T00:30:00Z',
    ],
    [
      'the summer offset (UTC+2) is used in summer',
      '2026-06-17T05:00:00Z',
      30,
      { wed: [['08:00', '17:00']] },
      AMS,
      '2026-06-17T06:30:00Z',
    ],
    [
      'a week with no opening time counts as always open',
      '2026-11-25T10:00:00Z',
      60,
      {},
      AMS,
      '2026-11-25T11:00:00Z',
    ],
    [
      'zero minutes inside hours is now',
      '2026-11-25T10:00:00Z',
      0,
      OFFICE,
      AMS,
      '2026-11-25T10:00:00Z',
    ],
  ] as [string, string, number, BusinessHours | null, string, string][])(
    '%s',
    (_label, start, minutes, hours, zone, due) => {
      expect(addBusinessMinutes(new Date(start), minutes, hours, zone).toISOString()).toBe(
        new Date(due).toISOString(),
      );
    },
  );

  it('counts long SLAs over several days of opening hours', () => {
    // 12 h a day Monday to Thursday: 30 hours from Monday 08:00 end on Wednesday 14:00 (Amsterdam).
    const due = addBusinessMinutes(new Date('2026-11-23T07:00:00Z'), 30 * 60, OFFICE, AMS);
    expect(due.toISOString()).toBe('2026-11-25T13:00:00.000Z');
  });
});
