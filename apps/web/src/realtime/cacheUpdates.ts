import type { InfiniteData, QueryClient, QueryKey } from '@tanstack/react-query';
import type {
  ConversationCountsDto,
  ConversationDetailDto,
  ConversationDto,
  MessageDto,
  OrganisationDto,
  Page,
  UserDto,
} from '@toonbank/shared';
import { withMessage, type ConversationFilters } from '../api/conversations';
import { queryKeys } from '../api/queries';

type ListData = InfiniteData<Page<ConversationDto>, string | null>;

/** Asks for one query to be read again (see `createRefetchCoalescer`). */
export type Refetch = (queryKey: QueryKey) => void;

/**
 * Refetches asked for by live events, done once per query after `delayMs`: a storm of
 * conversation events reads each affected list a few times a second, not once per event.
 */
export function createRefetchCoalescer(queryClient: QueryClient, delayMs = 250) {
  const pending = new Map<string, QueryKey>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    for (const queryKey of pending.values())
      void queryClient.invalidateQueries({ queryKey, exact: true });
    pending.clear();
  };
  return {
    refetch: ((queryKey) => {
      pending.set(JSON.stringify(queryKey), queryKey);
      timer ??= setTimeout(flush, delayMs);
    }) as Refetch,
    cancel: () => {
      if (timer) clearTimeout(timer);
      timer = null;
      pending.clear();
    },
  };
}

/** Whether a conversation belongs in a list with these filters (the ones the client can judge). */
export function matchesFilters(
  conversation: ConversationDto,
  filters: ConversationFilters,
  meId: string | undefined,
): boolean {
  if (filters.status?.length && !filters.status.includes(conversation.status)) return false;
  if (filters.assignee === 'none' && conversation.assigneeId !== null) return false;
  if (filters.assignee === 'me' && conversation.assigneeId !== meId) return false;
  if (
    filters.assignee &&
    !['me', 'none'].includes(filters.assignee) &&
    conversation.assigneeId !== filters.assignee
  )
    return false;
  if (filters.channelId && conversation.channelId !== filters.channelId) return false;
  if (filters.customer && conversation.customer.handle !== filters.customer) return false;
  if (filters.label && !conversation.labels.includes(filters.label)) return false;
  return true;
}

/**
 * A live conversation event applied to the cache: the detail is merged (messages kept), each
 * cached list has it updated in place or removed when it no longer belongs; a list it newly
 * belongs to is refetched, so that its order and paging stay the server's.
 */
export function applyConversation(
  queryClient: QueryClient,
  conversation: ConversationDto,
  meId: string | undefined,
  refetch: Refetch,
): void {
  queryClient.setQueryData<ConversationDetailDto>(
    queryKeys.conversation(conversation.id),
    (detail) => (detail ? { ...detail, ...conversation, messages: detail.messages } : detail),
  );
  // The board's load per person follows assignments (only refetched where it is shown).
  refetch(queryKeys.eligibleUsers);
  for (const query of queryClient.getQueryCache().findAll({
    queryKey: queryKeys.conversationLists,
  })) {
    const filters = (query.queryKey[2] ?? {}) as ConversationFilters;
    const data = query.state.data as ListData | undefined;
    if (!data) continue;
    const present = data.pages.some((page) => page.items.some((c) => c.id === conversation.id));
    const belongs = matchesFilters(conversation, filters, meId) && !filters.q;
    if (present) {
      queryClient.setQueryData<ListData>(query.queryKey, {
        ...data,
        pages: data.pages.map((page) => ({
          ...page,
          items: belongs
            ? page.items.map((c) => (c.id === conversation.id ? conversation : c))
            : page.items.filter((c) => c.id !== conversation.id),
        })),
      });
    }
    if (!present && (belongs || filters.q)) {
      refetch(query.queryKey);
    }
  }
}

/**
 * New tab counts from the server: kept only when not older than the ones held (a late event
 * after a fresher GET must not turn the numbers back).
 */
export function applyCounts(queryClient: QueryClient, counts: ConversationCountsDto): void {
  queryClient.setQueryData<ConversationCountsDto>(queryKeys.conversationCounts, (held) =>
    held && Date.parse(held.computedAt) > Date.parse(counts.computedAt) ? held : counts,
  );
}

export function applyMessage(
  queryClient: QueryClient,
  conversationId: string,
  message: MessageDto,
): void {
  queryClient.setQueryData<ConversationDetailDto>(queryKeys.conversation(conversationId), (d) =>
    withMessage(d, message),
  );
}

export function applyOrganisation(queryClient: QueryClient, organisation: OrganisationDto): void {
  queryClient.setQueryData(queryKeys.org, organisation);
  // The level decides who may respond: the policy, the users' eligibility and the inbox follow.
  void queryClient.invalidateQueries({ queryKey: queryKeys.policy });
  void queryClient.invalidateQueries({ queryKey: queryKeys.users });
  void queryClient.invalidateQueries({ queryKey: queryKeys.me });
}

export function applyMe(queryClient: QueryClient, user: UserDto): void {
  const before = queryClient.getQueryData<UserDto>(queryKeys.me);
  queryClient.setQueryData(queryKeys.me, user);
  // Becoming (in)eligible opens or closes the inbox: read it again rather than guess.
  if (before && before.eligible !== user.eligible) {
    void queryClient.invalidateQueries({ queryKey: queryKeys.conversations });
  }
}
