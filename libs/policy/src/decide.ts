import type { MaturityLevel, Role } from '@toonbank/shared';
import type { PolicyMatrix, PolicyRule } from './matrix';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Social-media training is renewed yearly. */
export const TRAINING_VALID_DAYS = 365;

/** What the policy needs to know about a person. */
export interface PolicySubject {
  role: Role;
  active: boolean;
  trainedAt: Date | null;
}

/** Trained = `trainedAt` is set and lies within the last 365 days (a date in the future does not count). */
export function isTrained(trainedAt: Date | null, now: Date): boolean {
  if (!trainedAt) return false;
  const age = now.getTime() - trainedAt.getTime();
  return age >= 0 && age <= TRAINING_VALID_DAYS * DAY_MS;
}

export function ruleFor(
  matrix: PolicyMatrix,
  level: MaturityLevel,
  subject: PolicySubject,
  now: Date,
): PolicyRule {
  const rows = matrix[`${level}`];
  const trained = subject.role === 'employee' ? isTrained(subject.trainedAt, now) : undefined;
  const rule = rows.find((r) => r.role === subject.role && r.trained === trained);
  if (!rule) throw new Error(`policy matrix has no row for ${subject.role} at level ${level}`);
  return rule;
}

export interface ResponseDecision {
  /** May be assigned, claim and write replies right now. */
  eligible: boolean;
  /** Each reply waits for a team lead or admin. */
  approval: boolean;
  /** Replies must be rendered from a template. */
  template: boolean;
}

/** SPEC.md §2: eligible = may respond at the current level, active, and (employees) trained. */
export function decideResponse(
  matrix: PolicyMatrix,
  level: MaturityLevel,
  subject: PolicySubject,
  now: Date,
): ResponseDecision {
  const rule = ruleFor(matrix, level, subject, now);
  const eligible = subject.active && rule.respond;
  return {
    eligible,
    approval: eligible && rule.approval,
    template: eligible && rule.template,
  };
}
