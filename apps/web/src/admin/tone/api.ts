import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TemplateDto, ToneProfileDto } from '@toonbank/shared';
import { useApi } from '../../api/ApiContext';
import { queryKeys } from '../../api/queries';

export function useSaveToneProfile() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (profile: ToneProfileDto) => api.put<ToneProfileDto>('/tone/profile', profile),
    onSuccess: (profile) => queryClient.setQueryData(queryKeys.toneProfile, profile),
  });
}

export type TemplateDraft = Pick<TemplateDto, 'name' | 'body' | 'providers' | 'language'>;

/** Creates (no id) or updates a template; the server checks it against the tone profile. */
export function useSaveTemplate() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, draft }: { id?: string; draft: TemplateDraft }) =>
      id
        ? api.patch<TemplateDto>(`/templates/${id}`, draft)
        : api.post<TemplateDto>('/templates', draft),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.templates }),
  });
}

export function useDeleteTemplate() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<unknown>(`/templates/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.templates }),
  });
}
