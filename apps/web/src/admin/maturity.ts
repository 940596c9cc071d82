import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  decideResponse,
  isTrained,
  MATRIX_ROW_KEYS,
  type MatrixRowKey,
  type PolicyMatrix,
  type ResponseDecision,
} from '@toonbank/policy';
import type { MaturityLevel, OrganisationDto, UserDto } from '@toonbank/shared';
import { isApiError } from '../api/ApiError';
import { useApi } from '../api/ApiContext';
import { queryKeys } from '../api/queries';

/** `GET /api/org/maturity/preview?level=N`: what a change of level would do. */
export interface MaturityPreviewDto {
  gaining: UserDto[];
  losing: UserDto[];
  conversationsReturned: number;
  repliesWithdrawn: number;
}

export function useMaturityPreview(level: MaturityLevel | null) {
  const api = useApi();
  return useQuery({
    queryKey: ['org', 'maturity-preview', level],
    queryFn: ({ signal }) =>
      api.get<MaturityPreviewDto>(`/org/maturity/preview?level=${level}`, { signal }),
    enabled: level !== null,
    staleTime: 0,
  });
}

export function useChangeMaturity() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: { level: MaturityLevel; reason: string; expectedLevel: MaturityLevel }) =>
      api.put<OrganisationDto>('/org/maturity', change),
    // Refused: the level moved under the admin; the organisation says where it is now.
    meta: { invalidates: [queryKeys.org] },
    onSuccess: (organisation) => {
      queryClient.setQueryData(queryKeys.org, organisation);
      // Who may respond changed: everything that depends on it is read again.
      void queryClient.invalidateQueries({ queryKey: queryKeys.policy });
      void queryClient.invalidateQueries({ queryKey: queryKeys.users });
      void queryClient.invalidateQueries({ queryKey: queryKeys.me });
      void queryClient.invalidateQueries({ queryKey: queryKeys.conversations });
    },
  });
}

/** What changes for one row of the policy (a role; employees trained or not) between two levels. */
export type RoleChange =
  /** May respond now, and did not before (with `freeText`/`templatesOnly` and perhaps `approvalAdded`). */
  | 'respondGained'
  /** May no longer respond. */
  | 'respondLost'
  /** Writes in their own words (before: templates only, or not at all). */
  | 'freeText'
  /** Must use templates (before: own words, or not at all). */
  | 'templatesOnly'
  /** Each reply waits for a team lead or admin. */
  | 'approvalAdded'
  /** Replies go out without approval. */
  | 'approvalLifted';

export interface RoleShift extends MatrixRowKey {
  before: ResponseDecision;
  after: ResponseDecision;
  changes: RoleChange[];
}

/**
 * Per row of the organisation's policy matrix, what a change of level from `from` to `to`
 * changes: decided by @toonbank/policy's `decideResponse`, the table the server decides with,
 * for an active person of that row (employees: trained or not).
 */
export function roleShifts(
  matrix: PolicyMatrix,
  from: MaturityLevel,
  to: MaturityLevel,
  now = new Date(),
): RoleShift[] {
  return MATRIX_ROW_KEYS.map((key) => {
    const subject = { role: key.role, active: true, trainedAt: key.trained ? now : null };
    const before = decideResponse(matrix, from, subject, now);
    const after = decideResponse(matrix, to, subject, now);
    return { ...key, before, after, changes: changesBetween(before, after) };
  });
}

function changesBetween(before: ResponseDecision, after: ResponseDecision): RoleChange[] {
  if (!after.eligible) return before.eligible ? ['respondLost'] : [];
  const mode: RoleChange = after.template ? 'templatesOnly' : 'freeText';
  if (!before.eligible)
    return after.approval ? ['respondGained', mode, 'approvalAdded'] : ['respondGained', mode];
  const changes: RoleChange[] = [];
  if (before.template !== after.template) changes.push(mode);
  if (before.approval !== after.approval)
    changes.push(after.approval ? 'approvalAdded' : 'approvalLifted');
  return changes;
}

/** The row of the policy a person belongs to (employees by their training). */
export const rowOf = (user: Pick<UserDto, 'role' | 'trainedAt'>, now = new Date()): MatrixRowKey =>
  user.role === 'employee'
    ? { role: user.role, trained: isTrained(user.trainedAt ? new Date(user.trainedAt) : null, now) }
    : { role: user.role };

export const sameRow = (a: MatrixRowKey, b: MatrixRowKey): boolean =>
  a.role === b.role && a.trained === b.trained;

/**
 * The level the server says the organisation is at, when it refused a change because the
 * level moved under the admin (409 with `details.maturityLevel`); null for any other error.
 */
export function levelNowOf(error: unknown): MaturityLevel | null {
  if (!isApiError(error) || error.statusCode !== 409) return null;
  const level = error.details?.maturityLevel;
  return level === 1 || level === 2 || level === 3 ? level : null;
}
