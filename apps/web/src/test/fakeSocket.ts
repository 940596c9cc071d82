import { act } from '@testing-library/react';
import type { InboxSocket } from '../realtime/socket';

type Handler = (...args: unknown[]) => void;
type Ack = (result: unknown) => void;

/**
 * The live inbox socket for component tests: `serverSends` plays an event from the server,
 * `sent` records what the app emitted. It connects as soon as the app opens it.
 */
export function createFakeSocket() {
  const handlers = new Map<string, Set<Handler>>();
  const sent: { event: string; payload: unknown; ack?: Ack }[] = [];
  let opened = 0;
  let connects = 0;
  // The app's state changes on these events: wrapped in act() as React's tests want.
  const fire = (event: string, ...args: unknown[]) =>
    act(() => {
      for (const handler of handlers.get(event) ?? []) handler(...args);
    });
  const socket = {
    connected: false,
    /** socket.io's: false once the server closed the socket or refused it (no retry by itself). */
    active: false,
    on(event: string, handler: Handler) {
      if (!handlers.has(event)) handlers.set(event, new Set());
      handlers.get(event)!.add(handler);
      return socket;
    },
    off(event: string, handler: Handler) {
      handlers.get(event)?.delete(handler);
      return socket;
    },
    emit(event: string, payload: unknown, ack?: Ack) {
      sent.push({ event, payload, ...(ack ? { ack } : {}) });
      return socket;
    },
    connect() {
      connects += 1;
      socket.connected = true;
      socket.active = true;
      fire('connect');
      return socket;
    },
    disconnect() {
      socket.connected = false;
      socket.active = false;
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
    /** Connections made, the first included (socket.io's reconnects by itself are not). */
    get connects() {
      return connects;
    },
    get connected() {
      return socket.connected;
    },
    sent,
    /** The server acknowledges the last `event` the app emitted with an acknowledgement. */
    acknowledge: (event: string, result: unknown) => {
      const last = sent.filter((entry) => entry.event === event && entry.ack).at(-1);
      if (!last?.ack) throw new Error(`no ${event} waits for an acknowledgement`);
      const { ack } = last;
      act(() => ack(result));
    },
    /** The server closes the connection (socket.io does not reconnect by itself then). */
    serverDisconnects: () => {
      socket.connected = false;
      socket.active = false;
      fire('disconnect', 'io server disconnect');
    },
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
