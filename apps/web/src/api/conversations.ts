import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ConversationCountsDto,
  ConversationDetailDto,
  ConversationDto,
  ConversationStatus,
  MessageDto,
  Page,
} from '@toonbank/shared';
import { useApi } from './ApiContext';
import { conversationConcerns, queryKeys } from './queries';

/** The filters of `GET /api/conversations` (API.md §Conversations and messages). */
export interface ConversationFilters {
  status?: readonly ConversationStatus[];
  assignee?: 'me' | 'none' | string;
  channelId?: string;
  customer?: string;
  label?: string;
  q?: string;
  sort?: 'activity' | 'sla';
  limit?: number;
}

export function conversationSearch(filters: ConversationFilters, cursor: string | null): string {
  const params = new URLSearchParams();
  if (filters.status?.length) params.set('status', filters.status.join(','));
  for (const key of ['assignee', 'channelId', 'customer', 'label', 'q', 'sort'] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  if (filters.limit) params.set('limit', String(filters.limit));
  if (cursor) params.set('cursor', cursor);
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** One list of the inbox, page by page (keyset paging: the next page starts at `nextCursor`). */
export function useConversationList(filters: ConversationFilters, enabled = true) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: [...queryKeys.conversationLists, filters],
    queryFn: ({ pageParam }) =>
      api.get<Page<ConversationDto>>(`/conversations${conversationSearch(filters, pageParam)}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}

/**
 * How many conversations each inbox tab lists for the caller (the server counts at most once
 * per 5 s per organisation; `counts.updated` replaces the answer, a resync reads it again).
 */
export function useConversationCounts(enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.conversationCounts,
    queryFn: () => api.get<ConversationCountsDto>('/conversations/counts'),
    enabled,
  });
}

export function useConversation(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.conversation(id ?? ''),
    queryFn: () => api.get<ConversationDetailDto>(`/conversations/${id}`),
    enabled: id !== undefined,
  });
}

/** Puts a changed conversation into its detail (keeping the messages) and refreshes the lists. */
export function useConversationWritten() {
  const queryClient = useQueryClient();
  return (conversation: ConversationDto) => {
    queryClient.setQueryData<ConversationDetailDto>(
      queryKeys.conversation(conversation.id),
      (detail) => (detail ? { ...detail, ...conversation, messages: detail.messages } : detail),
    );
    void queryClient.invalidateQueries({ queryKey: queryKeys.conversationLists });
  };
}

export type ConversationAction = 'claim' | 'unassign' | 'close' | 'reopen';

export function useConversationAction(id: string) {
  const api = useApi();
  const written = useConversationWritten();
  return useMutation({
    mutationFn: (action: ConversationAction) =>
      api.post<ConversationDto>(`/conversations/${id}/${action}`),
    onSuccess: written,
    meta: { invalidates: conversationConcerns(id) },
  });
}

export function useAssign() {
  const api = useApi();
  const written = useConversationWritten();
  return useMutation({
    mutationFn: ({ conversationId, userId }: { conversationId: string; userId: string }) =>
      api.post<ConversationDto>(`/conversations/${conversationId}/assign`, { userId }),
    onSuccess: written,
    // Any conversation (the board's drop, the pane's menu): the open one, and everyone's load.
    meta: { invalidates: [...conversationConcerns(), queryKeys.eligibleUsers] },
  });
}

export function useSetLabels(id: string) {
  const api = useApi();
  const written = useConversationWritten();
  return useMutation({
    mutationFn: (labels: string[]) =>
      api.put<ConversationDto>(`/conversations/${id}/labels`, { labels }),
    onSuccess: written,
    meta: { invalidates: conversationConcerns(id) },
  });
}

/** Adds a message to a cached conversation once (the socket may bring the same one). */
export const withMessage = (
  detail: ConversationDetailDto | undefined,
  message: MessageDto,
): ConversationDetailDto | undefined =>
  detail && !detail.messages.some((m) => m.id === message.id)
    ? { ...detail, messages: [...detail.messages, message] }
    : detail;

export function useAddNote(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => api.post<MessageDto>(`/conversations/${id}/notes`, { text }),
    meta: { invalidates: conversationConcerns(id) },
    onSuccess: (message) =>
      queryClient.setQueryData<ConversationDetailDto>(queryKeys.conversation(id), (detail) =>
        withMessage(detail, message),
      ),
  });
}
