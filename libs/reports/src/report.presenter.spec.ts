import { presentReport } from './report.presenter';
import type { ReportRows } from './reports.repository';

const WINDOW = {
  start: new Date('2026-03-28T23:00:00Z'),
  end: new Date('2026-03-30T22:00:00Z'),
  timeZone: 'Europe/Amsterdam',
};
const EMPTY: ReportRows = {
  durations: [],
  volume: [],
  channels: [],
  agents: [],
  sla: { met: 0, breached: 0 },
  maturity: [],
};
const channel = (id: string, name: string, deleted = false) => ({
  id,
  name,
  provider: 'mastodon' as const,
  deleted,
});
const volume = (dimension: 'channel' | 'hour' | 'day', key: string | number, count: number) => ({
  dimension,
  channel_id: dimension === 'channel' ? (key as string) : null,
  hour: dimension === 'hour' ? (key as number) : null,
  day: dimension === 'day' ? (key as string) : null,
  count,
});

describe('presentReport', () => {
  it('fills every hour and day with 0 and totals the hours', () => {
    const report = presentReport(WINDOW, {
      ...EMPTY,
      volume: [volume('hour', 0, 2), volume('hour', 23, 1), volume('day', '2026-03-30', 3)],
    });
    expect(report.volume.total).toBe(3);
    expect(report.volume.perHour).toHaveLength(24);
    expect(report.volume.perHour.filter((h) => h.count > 0)).toEqual([
      { hour: 0, count: 2 },
      { hour: 23, count: 1 },
    ]);
    expect(report.volume.perDay).toEqual([
      { date: '2026-03-29', count: 0 },
      { date: '2026-03-30', count: 3 },
    ]);
  });

  it.each([
    ['most first', [channel('b', 'B'), channel('a', 'A')], [['b', 1]], ['b', 'a']],
    ['then by name', [channel('2', 'Zulu'), channel('1', 'Alfa')], [], ['1', '2']],
    ['then by id', [channel('2', 'Same'), channel('1', 'Same')], [], ['1', '2']],
    [
      'a removed one only with volume',
      [channel('x', 'X', true), channel('y', 'Y', true)],
      [['y', 4]],
      ['y'],
    ],
  ] as const)('orders and keeps channels: %s', (_label, channels, counts, ids) => {
    const report = presentReport(WINDOW, {
      ...EMPTY,
      channels: [...channels],
      volume: counts.map(([id, count]) => volume('channel', id, count)),
    });
    expect(report.volume.perChannel.map((c) => c.channelId)).toEqual(ids);
    expect(Object.keys(report.volume.perChannel[0]!).sort()).toEqual([
      'channelId',
      'count',
      'name',
      'provider',
    ]);
  });

  it.each([
    [null, null],
    [90, 90],
    [1.23456, 1.235],
    [0.0004, 0],
  ])('rounds %p seconds to the millisecond: %p', (median, shown) => {
    const report = presentReport(WINDOW, {
      ...EMPTY,
      durations: [{ kind: 'resolution', count: 1, median, p90: median }],
    });
    expect(report.resolution).toEqual({ count: 1, medianSeconds: shown, p90Seconds: shown });
    expect(report.firstResponse).toEqual({ count: 0, medianSeconds: null, p90Seconds: null });
  });
});
