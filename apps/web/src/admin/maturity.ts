import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MaturityLevel, OrganisationDto, UserDto } from '@toonbank/shared';
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
    mutationFn: (change: { level: MaturityLevel; reason: string }) =>
      api.put<OrganisationDto>('/org/maturity', change),
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
