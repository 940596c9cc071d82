import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ChannelDto,
  ChannelProvider,
  ChannelProviderDto,
  Page,
  PollAcceptedDto,
} from '@toonbank/shared';
import { useApi } from '../../api/ApiContext';
import { queryKeys } from '../../api/queries';
import { usePagedList } from '../users/paging';

export const channelKeys = {
  /** Every channel query starts with this. */
  all: ['channels'] as const,
  list: ['channels', 'list'] as const,
  /** Not under `all`: a change of channels does not change what providers need. */
  providers: ['channel-providers'] as const,
};

/** The answer of POST /api/channels/:id/poll when the poll finished within the wait (200). */
export interface PollResult {
  fetched: number;
  stored: number;
}

/** 200 with the result, or 202 `{ jobId }`: the poll goes on and `channel.updated` tells when it ends. */
export type PollAnswer = PollResult | PollAcceptedDto;

export interface ConnectChannelBody {
  provider: ChannelProvider;
  name: string;
  config: Record<string, string>;
  pollIntervalSeconds?: number;
}

/** The organisation's channel accounts (team lead and admin); never their credentials. */
export function useChannels(enabled = true) {
  return usePagedList<ChannelDto>(channelKeys.list, '/channels', enabled);
}

/**
 * What each provider needs to be connected (GET /api/channels/providers): its config fields as
 * its connector describes them, and whether it is polled. Read once; it changes with a deploy.
 */
export function useChannelProviders(enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: channelKeys.providers,
    queryFn: async ({ signal }) =>
      (await api.get<Page<ChannelProviderDto>>('/channels/providers', { signal })).items,
    enabled,
    staleTime: Infinity,
  });
}

function useChannelsChanged() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: channelKeys.all });
}

/**
 * POST /api/channels. Once the request is over, the body's config (with the secrets) is
 * emptied, so the mutation's remembered variables never hold a token.
 */
export function useConnectChannel() {
  const api = useApi();
  const changed = useChannelsChanged();
  return useMutation({
    mutationFn: async (body: ConnectChannelBody) => {
      try {
        return await api.post<ChannelDto>('/channels', body);
      } finally {
        body.config = {};
      }
    },
    onSuccess: changed,
  });
}

/** Pause or resume (PATCH /api/channels/:id `{ status }`). */
export function useSetChannelStatus() {
  const api = useApi();
  const changed = useChannelsChanged();
  return useMutation({
    mutationFn: ({ id, status }: { id: string; status: 'active' | 'paused' }) =>
      api.patch<ChannelDto>(`/channels/${id}`, { status }),
    onSuccess: changed,
  });
}

/**
 * Poll now: answers once the poll has finished, or after the server's wait with the job's id
 * (the realtime provider refreshes the lists at its `channel.updated`); new messages may have
 * opened conversations.
 */
export function usePollChannel() {
  const api = useApi();
  const queryClient = useQueryClient();
  const changed = useChannelsChanged();
  return useMutation({
    mutationFn: (id: string) => api.post<PollAnswer>(`/channels/${id}/poll`),
    onSuccess: () => {
      changed();
      void queryClient.invalidateQueries({ queryKey: queryKeys.conversations });
    },
  });
}

/** Remove a channel: polling stops, its conversations are kept. */
export function useDeleteChannel() {
  const api = useApi();
  const changed = useChannelsChanged();
  return useMutation({
    mutationFn: (id: string) => api.delete<unknown>(`/channels/${id}`),
    onSuccess: changed,
  });
}
