import { useQueryClient } from '@tanstack/react-query';
import type { ComposerPresenceDto, ConversationDto, NotificationDto } from '@toonbank/shared';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { channelKeys } from '../admin/channels/api';
import { useApi } from '../api/ApiContext';
import { queryKeys } from '../api/queries';
import {
  applyConversation,
  applyCounts,
  applyMe,
  applyMessage,
  applyOrganisation,
  createRefetchCoalescer,
} from './cacheUpdates';
import { SocketReconnector } from './reconnect';
import { openInboxSocket, type InboxSocket, type OpenInboxSocket } from './socket';

/** Someone else writing a reply on a conversation (API.md `composer.active`). */
export type ComposerPresence = ComposerPresenceDto;

export interface LiveNotification extends NotificationDto {
  key: number;
  receivedAt: number;
}

/** A live conversation event, as it came (after the cache has taken it in). */
export type ConversationListener = (
  conversation: ConversationDto,
  event: 'conversation.created' | 'conversation.updated',
) => void;

interface RealtimeValue {
  connected: boolean;
  /** Hears every live conversation event until the returned function is called. */
  onConversation(listener: ConversationListener): () => void;
  notifications: readonly LiveNotification[];
  dismissNotification(key: number): void;
  /** Who else is writing on each conversation. */
  presence: Readonly<Record<string, readonly ComposerPresence[]>>;
  composing(conversationId: string, active: boolean): void;
}

const RealtimeContext = createContext<RealtimeValue | null>(null);

/** The client repeats `composer.start` this often while writing (API.md §Socket.io). */
export const COMPOSER_HEARTBEAT_MS = 5_000;
const MAX_NOTIFICATIONS = 20;

/**
 * The live inbox for a signed-in user: one socket, its events written into the query cache,
 * a resync over REST after every reconnect and at the server's `resync` (events missed are
 * not replayed), the
 * notifications and the composer presence of colleagues.
 */
export function RealtimeProvider({
  children,
  open = openInboxSocket,
}: {
  children: ReactNode;
  open?: OpenInboxSocket;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const socketRef = useRef<InboxSocket | null>(null);
  const [connected, setConnected] = useState(false);
  const [notifications, setNotifications] = useState<LiveNotification[]>([]);
  const [presence, setPresence] = useState<Record<string, ComposerPresence[]>>({});
  const listeners = useRef(new Set<ConversationListener>());

  useEffect(() => {
    const socket = open(api);
    socketRef.current = socket;
    let everConnected = false;
    let counter = 0;
    const meId = () => queryClient.getQueryData<{ id: string }>(queryKeys.me)?.id;
    const coalescer = createRefetchCoalescer(queryClient);
    const { refetch } = coalescer;

    const reconnector = new SocketReconnector(socket, api);

    socket.on('connect', () => {
      reconnector.connected();
      setConnected(true);
      if (everConnected) void queryClient.invalidateQueries();
      everConnected = true;
    });
    socket.on('disconnect', (reason) => {
      setConnected(false);
      setPresence({});
      // The server closed it (a stopping api, an expired token, the user's sockets dropped):
      // socket.io does not come back by itself then. Renew the token and connect, with backoff;
      // a refused renewal ends the session instead. The lists are read again once connected.
      if (reason === 'io server disconnect') reconnector.schedule();
    });
    socket.on('connect_error', () => {
      // A handshake the server refused (a bad token, too many sockets) is not retried by
      // socket.io (`active` false); a transport failure is, with socket.io's own backoff.
      if (!socket.active) reconnector.schedule();
    });
    // The server closes a socket at its token's expiry unless it was handed a newer one.
    const stopHandingOn = api.onAccessTokenRefreshed((accessToken) => {
      if (!socket.connected) return; // the next handshake asks for it anyway
      socket.emit('auth.refresh', { accessToken }, (result) => {
        if (result.ok || socketRef.current !== socket) return;
        socket.disconnect();
        socket.connect();
      });
    });
    for (const event of ['conversation.created', 'conversation.updated'] as const) {
      socket.on(event, (c) => {
        applyConversation(queryClient, c, meId(), refetch);
        for (const listener of listeners.current) listener(c, event);
      });
    }
    socket.on('counts.updated', (counts) => applyCounts(queryClient, counts));
    socket.on('message.created', ({ conversationId, message }) =>
      applyMessage(queryClient, conversationId, message),
    );
    // Events may have been lost server-side (its Redis came back): read everything again.
    socket.on('resync', () => {
      void queryClient.invalidateQueries();
    });
    socket.on('reply.updated', () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.replies });
    });
    socket.on('org.updated', (organisation) => applyOrganisation(queryClient, organisation));
    socket.on('user.updated', (user) => applyMe(queryClient, user));
    // A "poll now" ended (perhaps after its 202): the channel's health and new conversations.
    socket.on('channel.updated', () => {
      void queryClient.invalidateQueries({ queryKey: channelKeys.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.conversations });
    });
    socket.on('notification', (notification) => {
      counter += 1;
      const live = { ...notification, key: counter, receivedAt: Date.now() };
      setNotifications((all) => [live, ...all].slice(0, MAX_NOTIFICATIONS));
    });
    socket.on('composer.active', (p) =>
      setPresence((all) => ({
        ...all,
        [p.conversationId]: [
          ...(all[p.conversationId] ?? []).filter((o) => o.userId !== p.userId),
          p,
        ],
      })),
    );
    socket.on('composer.inactive', (p) =>
      setPresence((all) => ({
        ...all,
        [p.conversationId]: (all[p.conversationId] ?? []).filter((o) => o.userId !== p.userId),
      })),
    );
    return () => {
      socketRef.current = null;
      reconnector.stop();
      stopHandingOn();
      coalescer.cancel();
      socket.disconnect();
    };
  }, [api, open, queryClient]);

  const dismissNotification = useCallback(
    (key: number) => setNotifications((all) => all.filter((n) => n.key !== key)),
    [],
  );
  const composing = useCallback((conversationId: string, active: boolean) => {
    socketRef.current?.emit(active ? 'composer.start' : 'composer.stop', { conversationId });
  }, []);

  const onConversation = useCallback((listener: ConversationListener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  const value = useMemo(
    () => ({ connected, onConversation, notifications, dismissNotification, presence, composing }),
    [connected, onConversation, notifications, dismissNotification, presence, composing],
  );
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

export function useRealtime(): RealtimeValue {
  const value = useContext(RealtimeContext);
  if (value === null) throw new Error('useRealtime must be used inside <RealtimeProvider>');
  return value;
}

/** Others writing on this conversation. */
export function useComposerPresence(conversationId: string): readonly ComposerPresence[] {
  return useRealtime().presence[conversationId] ?? [];
}

/**
 * Tells colleagues that this user is writing on a conversation while `active`: a start, a
 * heartbeat every 5 seconds, and a stop when it ends or the composer goes away.
 */
export function useAnnounceComposing(conversationId: string, active: boolean): void {
  const { composing, connected } = useRealtime();
  useEffect(() => {
    if (!active || !connected) return;
    composing(conversationId, true);
    const heartbeat = setInterval(() => composing(conversationId, true), COMPOSER_HEARTBEAT_MS);
    return () => {
      clearInterval(heartbeat);
      composing(conversationId, false);
    };
  }, [active, connected, conversationId, composing]);
}
