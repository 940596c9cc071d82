import {
  INBOX_NAMESPACE,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@toonbank/shared';
import { io, type Socket } from 'socket.io-client';
import type { ApiClient } from '../api/client';

export type InboxSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Opens the live inbox; the factory is swapped for a fake in component tests. */
export type OpenInboxSocket = (api: ApiClient) => InboxSocket;

/**
 * The inbox namespace on the page's own origin (Vite proxies it in development). The token
 * is asked for at every (re)connect, so a reconnect after an hour uses a fresh one.
 */
export const openInboxSocket: OpenInboxSocket = (api) =>
  io(INBOX_NAMESPACE, {
    path: '/socket.io',
    transports: ['websocket'],
    // Always answer: a handshake whose token could not be had (no answer from the api) is
    // refused at once and retried with backoff, instead of waiting for ever.
    auth: (send) => {
      api.socketToken().then(
        (token) => send({ token }),
        () => send({ token: null }),
      );
    },
  });
