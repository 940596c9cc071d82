import type { ToneFindingDto, ToneSeverity } from '@toonbank/shared';
import { toneSegments } from './toneSegments';

const finding = (severity: ToneSeverity, start: number, end: number): ToneFindingDto => ({
  ruleId: `rule.${severity}`,
  severity,
  message: severity,
  start,
  end,
});

/** [text, findings, expected [text, severity?][]] */
const CASES: [string, string, ToneFindingDto[], [string, ToneSeverity?][]][] = [
  ['no findings: one plain stretch', 'Dag Sanne', [], [['Dag Sanne']]],
  ['empty text', '', [finding('error', 0, 0)], []],
  [
    'one finding in the middle',
    'Kun je dat',
    [finding('error', 4, 6)],
    [['Kun '], ['je', 'error'], [' dat']],
  ],
  ['a finding at the very end', 'Dag!!', [finding('warning', 3, 5)], [['Dag'], ['!!', 'warning']]],
  [
    'overlap: the more severe wins where they overlap',
    'abcdef',
    [finding('info', 0, 4), finding('error', 2, 6)],
    [
      ['ab', 'info'],
      ['cdef', 'error'],
    ],
  ],
  [
    'a milder finding inside a severe one does not split it',
    'abcdef',
    [finding('error', 0, 6), finding('warning', 2, 3)],
    [['abcdef', 'error']],
  ],
  [
    'empty and out-of-range findings (an older text) are ignored',
    'abc',
    [finding('error', 2, 2), finding('error', 1, 9), finding('warning', -1, 1)],
    [['abc']],
  ],
  [
    'surrogate pairs stay whole (offsets are UTF-16)',
    'a😀b',
    [finding('warning', 1, 3)],
    [['a'], ['😀', 'warning'], ['b']],
  ],
];

describe('toneSegments', () => {
  it.each(CASES)('%s', (_name, text, findings, expected) => {
    const segments = toneSegments(text, findings);
    expect(segments.map((s) => (s.finding ? [s.text, s.finding.severity] : [s.text]))).toEqual(
      expected,
    );
    expect(segments.map((s) => s.text).join('')).toBe(text);
  });
});
