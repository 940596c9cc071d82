import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Page, ReplyDto } from '@toonbank/shared';
import { useApi } from './ApiContext';
import { conversationConcerns, queryKeys } from './queries';

/** What the composer sends: free text or a template with its slots (API.md §Replies). */
export type NewReply = (
  { text: string } | { templateId: string; variables?: Record<string, string> }
) & { private?: boolean; overrideReason?: string };

export function useConversationReplies(conversationId: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.conversationReplies(conversationId ?? ''),
    queryFn: () => api.get<Page<ReplyDto>>(`/conversations/${conversationId}/replies`),
    enabled: conversationId !== undefined,
  });
}

export function useSendReply(conversationId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reply: NewReply) =>
      api.post<ReplyDto>(`/conversations/${conversationId}/replies`, reply),
    meta: { invalidates: conversationConcerns(conversationId) },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.replies }),
  });
}

/**
 * A new attempt of a failed reply that never reached the channel (team leads and admins).
 * Settled either way, the conversation's replies are read again: a refusal (409) is explained
 * with the state the reply is in now.
 */
export function useRetryReply() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (replyId: string) => api.post<ReplyDto>(`/replies/${replyId}/retry`),
    // Read again either way (onSettled): nothing more on a refusal.
    meta: { invalidates: [] },
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.replies }),
  });
}

export function useApprovalQueue(enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.approvalQueue,
    queryFn: () => api.get<Page<ReplyDto>>('/replies?status=pending_approval&limit=200'),
    enabled,
  });
}

export type ReplyDecision = { replyId: string } & (
  { decision: 'approve' } | { decision: 'reject'; comment: string }
);

export function useDecideReply() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ReplyDecision) =>
      input.decision === 'approve'
        ? api.post<ReplyDto>(`/replies/${input.replyId}/approve`)
        : api.post<ReplyDto>(`/replies/${input.replyId}/reject`, { comment: input.comment }),
    meta: { invalidates: [queryKeys.replies, ...conversationConcerns()] },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.replies }),
  });
}
