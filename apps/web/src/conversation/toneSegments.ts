import type { ToneFindingDto, ToneSeverity } from '@toonbank/shared';

export interface ToneSegment {
  text: string;
  start: number;
  /** The most severe finding over this stretch, if any. */
  finding?: ToneFindingDto;
}

const RANK: Record<ToneSeverity, number> = { error: 3, warning: 2, info: 1 };

/**
 * Cuts `text` into stretches that carry one finding each (the most severe where findings
 * overlap), for underlining. Findings of an older text that fall outside it, and empty
 * ranges (a missing sign-off has nothing to underline), are left out.
 */
export function toneSegments(text: string, findings: readonly ToneFindingDto[]): ToneSegment[] {
  const owner: (ToneFindingDto | undefined)[] = new Array(text.length);
  for (const finding of findings) {
    if (finding.start < 0 || finding.end > text.length || finding.end <= finding.start) continue;
    for (let i = finding.start; i < finding.end; i++) {
      const current = owner[i];
      if (!current || RANK[finding.severity] > RANK[current.severity]) owner[i] = finding;
    }
  }
  const segments: ToneSegment[] = [];
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || owner[i] !== owner[start]) {
      const finding = owner[start];
      segments.push({ text: text.slice(start, i), start, ...(finding ? { finding } : {}) });
      start = i;
    }
  }
  return segments;
}

export const hasErrors = (findings: readonly ToneFindingDto[]): boolean =>
  findings.some((f) => f.severity === 'error');
