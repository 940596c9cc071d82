import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { PolicyMatrix, PolicyRule } from '@toonbank/policy';
import type {
  DirectoryUserDto,
  EligibleUserDto,
  MaturityLevel,
  Page,
  UserDto,
} from '@toonbank/shared';
import { useApi } from './ApiContext';
import { queryKeys } from './queries';

/** `GET /api/org/policy` (API.md §Organisation and policy). */
export interface PolicyDto {
  level: MaturityLevel;
  rules: PolicyRule[];
  matrix: PolicyMatrix;
  trustLadder: { approvalsToLift: number | null };
}

export function usePolicy() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.policy,
    queryFn: () => api.get<PolicyDto>('/org/policy'),
  });
}

/** Colleagues: full records for team leads and admins, the directory form for everyone else. */
export function useUsers() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.users,
    queryFn: () => api.get<Page<UserDto | DirectoryUserDto>>('/users?limit=200'),
  });
}

export function useEligibleUsers(enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.eligibleUsers,
    queryFn: () => api.get<Page<EligibleUserDto>>('/users/eligible'),
    enabled,
  });
}

/** Colleagues' names by id (assignees, authors, actors). */
export function useUserNames(): ReadonlyMap<string, string> {
  const users = useUsers();
  return useMemo(() => new Map((users.data?.items ?? []).map((u) => [u.id, u.name])), [users.data]);
}
