/** The first reconnect comes within this long, each later one within twice the one before. */
export const RECONNECT_BASE_MS = 1_000;
export const RECONNECT_MAX_MS = 30_000;

/** Attempt `attempt` (0, 1, …): between half and all of min(30 s, 1 s × 2^attempt), at random. */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

interface ReconnectableSocket {
  readonly connected: boolean;
  connect(): unknown;
}

interface SessionApi {
  hasStoredSession(): boolean;
  /** True once renewed; false when the session has ended; rejects on no answer. */
  refresh(): Promise<boolean>;
}

/**
 * Brings the live socket back where socket.io will not by itself: after the server closed it
 * (`io server disconnect`: a stopping api, an expired token) or refused its handshake. Each
 * attempt renews the access token first (it may be why the server let go), then connects,
 * with a growing, jittered delay so that the clients of a stopped api do not all come back
 * at the same instant. A refused renewal means the session is over: no more attempts.
 */
export class SocketReconnector {
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(
    private readonly socket: ReconnectableSocket,
    private readonly api: SessionApi,
    private readonly random: () => number = Math.random,
  ) {}

  schedule(): void {
    if (this.stopped || this.timer !== null) return;
    const delay = reconnectDelayMs(this.attempt, this.random);
    this.attempt += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.reconnect();
    }, delay);
  }

  /** The socket is connected: the next trouble starts from the shortest delay again. */
  connected(): void {
    this.attempt = 0;
    this.cancel();
  }

  stop(): void {
    this.stopped = true;
    this.cancel();
  }

  private async reconnect(): Promise<void> {
    if (this.stopped || this.socket.connected || !this.api.hasStoredSession()) return;
    let renewed: boolean;
    try {
      renewed = await this.api.refresh();
    } catch {
      this.schedule(); // no answer: the api is away, try again later
      return;
    }
    if (renewed && !this.stopped && !this.socket.connected) this.socket.connect();
  }

  private cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
