import { MATURITY_LEVELS, ROLES, type MaturityLevel, type Role } from '@toonbank/shared';

/** One row of the policy matrix: what a role (and, for employees, trained or not) may do. */
export interface PolicyRule {
  role: Role;
  /** Only on the two `employee` rows. */
  trained?: boolean;
  respond: boolean;
  approval: boolean;
  template: boolean;
}

export type PolicyMatrix = Record<`${MaturityLevel}`, PolicyRule[]>;

const row = (
  role: Role,
  respond: boolean,
  approval = false,
  template = false,
  trained?: boolean,
) =>
  trained === undefined
    ? { role, respond, approval, template }
    : { role, trained, respond, approval, template };

/** SPEC.md §2: the default policy per maturity level. */
export const DEFAULT_POLICY_MATRIX: PolicyMatrix = {
  '1': [
    row('admin', true),
    row('team_lead', true),
    row('agent', true, false, true),
    row('communications', false),
    row('employee', false, false, false, true),
    row('employee', false, false, false, false),
  ],
  '2': [
    row('admin', true),
    row('team_lead', true),
    row('agent', true),
    row('communications', true, true),
    row('employee', false, false, false, true),
    row('employee', false, false, false, false),
  ],
  '3': [
    row('admin', true),
    row('team_lead', true),
    row('agent', true),
    row('communications', true),
    row('employee', true, true, false, true),
    row('employee', false, false, false, false),
  ],
};

/** The rows a matrix must hold for each level: one per role, two for employees. */
export interface MatrixRowKey {
  role: Role;
  trained?: boolean;
}
export const MATRIX_ROW_KEYS: readonly MatrixRowKey[] = ROLES.flatMap((role): MatrixRowKey[] =>
  role === 'employee'
    ? [
        { role, trained: true },
        { role, trained: false },
      ]
    : [{ role }],
);

/**
 * The safe limits of SPEC.md §2 for an organisation's own matrix: complete, and never
 * letting an untrained employee respond. (Deactivated users never respond whatever the
 * matrix says: that is the `active` flag, not a row.) Returns the problems, empty if none.
 */
export function matrixProblems(matrix: PolicyMatrix): string[] {
  const problems: string[] = [];
  for (const level of MATURITY_LEVELS) {
    const rows = matrix[`${level}`];
    if (!Array.isArray(rows)) {
      problems.push(`level ${level}: missing`);
      continue;
    }
    for (const key of MATRIX_ROW_KEYS) {
      const matches = rows.filter((r) => r.role === key.role && r.trained === key.trained);
      const label = key.trained === undefined ? key.role : `${key.role} (trained: ${key.trained})`;
      if (matches.length !== 1) problems.push(`level ${level}: needs exactly one row for ${label}`);
    }
    if (rows.length !== MATRIX_ROW_KEYS.length) {
      problems.push(`level ${level}: has ${rows.length} rows, expected ${MATRIX_ROW_KEYS.length}`);
    }
    if (rows.some((r) => r.role === 'employee' && r.trained === false && r.respond)) {
      problems.push(`level ${level}: untrained employees may never respond`);
    }
  }
  return problems;
}
