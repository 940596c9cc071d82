import type { OrganisationEntity } from '@toonbank/database';
import { matrixOf, type PolicyMatrix, type PolicyRule } from '@toonbank/policy';
import type { MaturityLevel } from '@toonbank/shared';

export interface PolicyDto {
  level: MaturityLevel;
  rules: PolicyRule[];
  matrix: PolicyMatrix;
  trustLadder: { approvalsToLift: number | null };
}

/** The policy in force (API.md §Organisation and policy): the matrix and the current level's rows. */
export function presentPolicy(organisation: OrganisationEntity): PolicyDto {
  const matrix = matrixOf(organisation);
  return {
    level: organisation.maturityLevel,
    rules: matrix[`${organisation.maturityLevel}`],
    matrix,
    trustLadder: { approvalsToLift: organisation.approvalsToLift },
  };
}
