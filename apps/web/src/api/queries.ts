import {
  MutationCache,
  QueryClient,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryKey,
} from '@tanstack/react-query';
import type { OrganisationDto, UserDto } from '@toonbank/shared';
import { isApiError } from './ApiError';
import { useApi } from './ApiContext';

export const queryKeys = {
  me: ['me'] as const,
  org: ['org'] as const,
  policy: ['policy'] as const,
  /** Every conversation query (lists and details) starts with this. */
  conversations: ['conversations'] as const,
  conversationLists: ['conversations', 'list'] as const,
  /** The inbox tabs' counts (`GET /api/conversations/counts`, pushed as `counts.updated`). */
  conversationCounts: ['conversations', 'counts'] as const,
  conversation: (id: string) => ['conversations', 'detail', id] as const,
  replies: ['replies'] as const,
  conversationReplies: (id: string) => ['replies', 'conversation', id] as const,
  approvalQueue: ['replies', 'approval-queue'] as const,
  templates: ['templates'] as const,
  toneProfile: ['tone', 'profile'] as const,
  users: ['users'] as const,
  eligibleUsers: ['users', 'eligible'] as const,
};

/** Client errors (4xx) are answers, not hiccups: retrying them only repeats the refusal. */
const shouldRetry = (failureCount: number, error: unknown): boolean => {
  if (isApiError(error) && error.statusCode >= 400 && error.statusCode < 500) return false;
  return failureCount < 2;
};

/**
 * A change the server refused because the state moved under it (409), or because what it
 * changes is gone (404): what the screen shows of it is out of date. What the change concerns
 * is read again (`meta.invalidates`, below), so that the refusal's text ("you now see the
 * current state") is true.
 */
export const refusedAsStale = (error: unknown): boolean =>
  isApiError(error) && (error.statusCode === 409 || error.statusCode === 404);

/**
 * What a change concerns: the queries (by key prefix) read again, where on screen, when the
 * server refuses it as stale. A mutation without it has everything on screen read again; `[]`
 * says a refusal changes nothing on screen.
 */
export interface ChangeMeta extends Record<string, unknown> {
  invalidates?: readonly QueryKey[];
}

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: ChangeMeta;
  }
}

/**
 * What a change to conversations concerns: the lists (and the tabs' counts), the open
 * conversation(s), and their replies.
 */
export const conversationConcerns = (id?: string): readonly QueryKey[] => [
  queryKeys.conversationLists,
  queryKeys.conversationCounts,
  id ? queryKeys.conversation(id) : ['conversations', 'detail'],
  id ? queryKeys.conversationReplies(id) : ['replies', 'conversation'],
];

/** After a refusal as stale: what the change concerns, as far as it is on screen, read again. */
export function rereadAfterRefusal(client: QueryClient, meta: ChangeMeta | undefined): void {
  if (!meta?.invalidates) {
    void client.invalidateQueries({ refetchType: 'active' });
    return;
  }
  for (const queryKey of meta.invalidates)
    void client.invalidateQueries({ queryKey, refetchType: 'active' });
}

/**
 * The app's query cache. Reads of a screen (me, org, users, lists, details) do not hand React
 * Query's AbortSignal to `fetch`: a query that consumes it is cancelled as soon as its last
 * observer goes and fetched again by the next one. StrictMode mounts every component twice
 * (in development), so each load sent /conversations, /users and /org twice, the first one
 * aborted; a quick remount (a route change back and forth) did the same. A read that is not
 * needed any more finishes and fills the cache. Only what a newer input makes worthless (the
 * tone check as one types) consumes the signal.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        if (refusedAsStale(error)) rereadAfterRefusal(client, mutation.meta);
      },
    }),
    defaultOptions: {
      queries: { staleTime: 30_000, retry: shouldRetry },
      mutations: { retry: false },
    },
  });
  return client;
}

export function useMe(enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: () => api.get<UserDto>('/me'),
    enabled,
  });
}

export function useOrg(enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.org,
    queryFn: () => api.get<OrganisationDto>('/org'),
    enabled,
  });
}

/** PUT /me/availability, shown at once and rolled back if the API refuses. */
export function useSetAvailability() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (available: boolean) => api.put<UserDto>('/me/availability', { available }),
    meta: { invalidates: [queryKeys.me, queryKeys.eligibleUsers] },
    onMutate: async (available) => {
      await queryClient.cancelQueries({ queryKey: queryKeys.me });
      const previous = queryClient.getQueryData<UserDto>(queryKeys.me);
      if (previous) queryClient.setQueryData<UserDto>(queryKeys.me, { ...previous, available });
      return { previous };
    },
    onError: (_error, _available, context) => {
      if (context?.previous) queryClient.setQueryData(queryKeys.me, context.previous);
    },
    onSuccess: (user) => {
      queryClient.setQueryData(queryKeys.me, user);
    },
  });
}
