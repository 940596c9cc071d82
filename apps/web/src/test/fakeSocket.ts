import { act } from '@testing-library/react';
import type { InboxSocket } from '../realtime/socket';

type Handler = (...args: unknown[]) => void;

/**
 * The live inbox socket for component tests: `serverSends` plays an event from the server,
 * `sent` records what the app emitted. It connects as soon as the app opens it.
 */
export function createFakeSocket() {
  const handlers = new Map<string, Set<Handler>>();
  const sent: { event: string; payload: unknown }[] = [];
  let opened = 0;
  // The app's state changes on these events: wrapped in act() as React's tests want.
  const fire = (event: string, ...args: unknown[]) =>
    act(() => {
      for (const handler of handlers.get(event) ?? []) handler(...args);
    });
  const socket = {
    connected: false,
    on(event: string, handler: Handler) {
      if (!handlers.has(event)) handlers.set(event, new Set());
      handlers.get(event)!.add(handler);
      return socket;
    },
    off(event: string, handler: Handler) {
      handlers.get(event)?.delete(handler);
      return socket;
    },
    emit(event: string, payload: unknown) {
      sent.push({ event, payload });
      return socket;
    },
    connect() {
      socket.connected = true;
      fire('connect');
      return socket;
    },
    disconnect() {
      socket.connected = false;
      fire('disconnect', 'io client disconnect');
      return socket;
    },
  };
  return {
    open: () => {
      opened += 1;
      queueMicrotask(() => socket.connect());
      return socket as unknown as InboxSocket;
    },
    get opened() {
      return opened;
    },
    sent,
    serverSends: (event: string, payload: unknown) => fire(event, payload),
    /** The connection drops and comes back (the app must resync over REST). */
    reconnect: () => {
      socket.connected = false;
      fire('disconnect', 'transport close');
      socket.connect();
    },
  };
}

export type FakeSocket = ReturnType<typeof createFakeSocket>;
