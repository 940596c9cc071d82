import type { ClientToServerEvents, ServerToClientEvents } from '@toonbank/shared';
import { io, type Socket } from 'socket.io-client';
import type { TestApp } from './test-app';

/** How long a test waits for something that must happen. */
export const EVENT_TIMEOUT_MS = 3000;
/** How long a test waits, after a positive arrived, to be sure that a negative does not. */
export const SILENCE_MS = 300;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type InboxSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export interface ReceivedEvent {
  event: string;
  payload: unknown;
}

const open = new Set<InboxSocket>();

function socketTo(app: Pick<TestApp, 'url'>, auth: Record<string, unknown> | undefined) {
  const socket: InboxSocket = io(`${app.url}/inbox`, {
    ...(auth ? { auth } : {}),
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: EVENT_TIMEOUT_MS,
  });
  open.add(socket);
  return socket;
}

/**
 * A connected client of the inbox namespace that records everything the server sends it,
 * from the moment it connected, so that a test never misses an event that came early.
 */
export class InboxClient {
  readonly received: ReceivedEvent[] = [];
  disconnectReason: string | null = null;
  private readonly waiters = new Set<() => void>();

  constructor(readonly socket: InboxSocket) {
    socket.onAny((event: string, payload: unknown) => {
      this.received.push({ event, payload });
      this.wake();
    });
    socket.on('disconnect', (reason) => {
      this.disconnectReason = reason;
      this.wake();
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** The payloads of every `event` received so far. */
  payloadsOf(event: string): unknown[] {
    return this.received.filter((r) => r.event === event).map((r) => r.payload);
  }

  /** The first payload of `event` (already received or still to come). */
  async nextEvent(event: string, timeoutMs = EVENT_TIMEOUT_MS): Promise<unknown> {
    await this.until(
      () => this.payloadsOf(event).length > 0,
      timeoutMs,
      `the event ${event} (received: ${JSON.stringify(this.received.map((r) => r.event))})`,
    );
    return this.payloadsOf(event)[0];
  }

  /** Resolves with the reason once the server has dropped this socket. */
  async disconnection(timeoutMs = EVENT_TIMEOUT_MS): Promise<string> {
    await this.until(() => this.disconnectReason !== null, timeoutMs, 'the disconnection');
    return this.disconnectReason as string;
  }

  close(): void {
    this.socket.disconnect();
    open.delete(this.socket);
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }
}

/** Connects to the inbox with this access token; rejects when the handshake is refused. */
export function connectInbox(app: Pick<TestApp, 'url'>, token: string): Promise<InboxClient> {
  const socket = socketTo(app, { token });
  const client = new InboxClient(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client));
    socket.once('connect_error', (error) => {
      client.close();
      reject(new Error(`the inbox refused the connection: ${error.message}`));
    });
  });
}

/**
 * Tries to connect with this handshake `auth` and answers the `connect_error` message;
 * rejects when the connection is accepted.
 */
export async function refusedConnection(
  app: Pick<TestApp, 'url'>,
  auth: Record<string, unknown> | undefined,
): Promise<string> {
  return (await handshakeRefusal(app, auth)).message;
}

/** The `connect_error` of a refused handshake: its message (a code) and its `data`. */
export function handshakeRefusal(
  app: Pick<TestApp, 'url'>,
  auth: Record<string, unknown> | undefined,
): Promise<{ message: string; data: unknown }> {
  const socket = socketTo(app, auth);
  const done = () => {
    socket.disconnect();
    open.delete(socket);
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      done();
      reject(new Error(`the inbox accepted the handshake ${JSON.stringify(auth)}`));
    });
    socket.once('connect_error', (error) => {
      done();
      resolve({ message: error.message, data: (error as Error & { data?: unknown }).data });
    });
  });
}

/** Closes every client a test opened (call in afterEach). */
export function closeAllInboxClients(): void {
  for (const socket of open) socket.disconnect();
  open.clear();
}
