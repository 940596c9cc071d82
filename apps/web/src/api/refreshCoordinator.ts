/** The Web Locks API's one method used here. */
export type Locks = { request<T>(name: string, callback: () => Promise<T>): Promise<T> };

/** What a BroadcastChannel offers that is used here (the browser's, or a fake in tests). */
export interface TabChannel {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** What one refresh came to; only a new access token is shared with the other tabs. */
export type RefreshOutcome =
  { kind: 'renewed'; accessToken: string } | { kind: 'ended' } | { kind: 'noSession' };

type TabMessage =
  | { type: 'refreshing'; id: string; at: number }
  | { type: 'refreshed'; id: string; at: number; accessToken: string }
  | { type: 'failed'; id: string };

export const REFRESH_LOCK_NAME = 'toonbank.refresh';
export const REFRESH_CHANNEL_NAME = 'toonbank.refresh';
/** Without Web Locks, how long a tab listens for other tabs' claims before it refreshes. */
export const CLAIM_SETTLE_MS = 50;
/** How long a tab waits for another tab's refresh before it does its own. */
export const FOREIGN_REFRESH_WAIT_MS = 10_000;
/** Under the lock, the previous holder is done: its outcome is only a message away. */
export const LOCKED_WAIT_MS = 1_000;

const isTabMessage = (data: unknown): data is TabMessage =>
  typeof data === 'object' &&
  data !== null &&
  typeof (data as { type?: unknown }).type === 'string' &&
  typeof (data as { id?: unknown }).id === 'string';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Refreshes across the browser's tabs. Refresh tokens rotate and every tab sends the same
 * cookie, so two tabs refreshing at once would present one token twice (the server forgives
 * that within 30 seconds, but a token spent once is better). One tab refreshes, and the
 * others take the access token it got:
 *
 * - With Web Locks, refreshes take turns under one lock, and the holder announces its refresh
 *   on the channel before it starts. A tab whose turn comes after another tab's refresh takes
 *   that tab's token (waiting up to a second for the message, which may trail the lock);
 *   without it, it refreshes with the newest cookie, which is no reuse either.
 * - Without Web Locks (an insecure context, an old browser), a tab announces its claim on the
 *   channel and listens for a moment; the earliest claim refreshes and the others wait for its
 *   outcome (up to 10 seconds, then they refresh themselves).
 * - With neither, each tab refreshes on its own.
 *
 * The channel is same-origin: it carries the access token only to the app's own pages.
 */
export class RefreshCoordinator {
  private latest: { at: number; accessToken: string } | null = null;
  private readonly claims = new Map<string, number>();
  private readonly waiters = new Map<string, (accessToken: string | null) => void>();

  constructor(
    private readonly locks: Locks | undefined,
    private readonly channel: TabChannel | undefined,
    private readonly now: () => number = () => Date.now(),
  ) {
    channel?.addEventListener('message', (event) => this.receive(event.data));
  }

  run(refresh: () => Promise<RefreshOutcome>): Promise<RefreshOutcome> {
    const askedAt = this.now();
    if (this.locks) {
      return this.locks.request(REFRESH_LOCK_NAME, async () => {
        // A claim still open here is an earlier holder's, whose outcome is on its way.
        const shared = this.sharedSince(askedAt) ?? (await this.outcomeOfLeader(LOCKED_WAIT_MS));
        return shared ?? this.refreshAndShare(refresh, this.claim(askedAt));
      });
    }
    if (this.channel) return this.claimAndRefresh(refresh, askedAt);
    return refresh();
  }

  private async claimAndRefresh(
    refresh: () => Promise<RefreshOutcome>,
    askedAt: number,
  ): Promise<RefreshOutcome> {
    const id = this.claim(askedAt);
    this.claims.set(id, askedAt);
    await sleep(CLAIM_SETTLE_MS);
    const leader = this.leadingClaim();
    this.claims.delete(id);
    if (leader !== null && leader !== id) {
      const shared =
        (await this.outcomeOf(leader, FOREIGN_REFRESH_WAIT_MS)) ?? this.sharedSince(askedAt);
      if (shared) return shared;
    }
    return this.refreshAndShare(refresh, id);
  }

  /** Tells the other tabs that this one is about to refresh; the claim's id. */
  private claim(at: number): string {
    const id = `${at}-${Math.random().toString(36).slice(2)}`;
    this.post({ type: 'refreshing', id, at });
    return id;
  }

  private async refreshAndShare(
    refresh: () => Promise<RefreshOutcome>,
    id: string,
  ): Promise<RefreshOutcome> {
    let outcome: RefreshOutcome;
    try {
      outcome = await refresh();
    } catch (error) {
      this.post({ type: 'failed', id });
      throw error;
    }
    if (outcome.kind === 'renewed') {
      const at = this.now();
      this.latest = { at, accessToken: outcome.accessToken };
      this.post({ type: 'refreshed', id, at, accessToken: outcome.accessToken });
    } else {
      this.post({ type: 'failed', id });
    }
    return outcome;
  }

  private sharedSince(askedAt: number): RefreshOutcome | null {
    return this.latest && this.latest.at >= askedAt
      ? { kind: 'renewed', accessToken: this.latest.accessToken }
      : null;
  }

  /** The earliest live claim (by time, then id), forgetting claims too old to be alive. */
  private leadingClaim(): string | null {
    const oldest = this.now() - FOREIGN_REFRESH_WAIT_MS;
    let leader: [string, number] | null = null;
    for (const [id, at] of this.claims) {
      if (at < oldest) this.claims.delete(id);
      else if (!leader || at < leader[1] || (at === leader[1] && id < leader[0])) leader = [id, at];
    }
    return leader?.[0] ?? null;
  }

  private async outcomeOfLeader(timeoutMs: number): Promise<RefreshOutcome | null> {
    const leader = this.leadingClaim();
    return leader === null ? null : this.outcomeOf(leader, timeoutMs);
  }

  /** Another tab's refresh token, or null when it failed or did not say in time. */
  private outcomeOf(claimId: string, timeoutMs: number): Promise<RefreshOutcome | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(null), timeoutMs);
      const settle = (accessToken: string | null) => {
        clearTimeout(timer);
        this.waiters.delete(claimId);
        this.claims.delete(claimId);
        resolve(accessToken === null ? null : { kind: 'renewed', accessToken });
      };
      this.waiters.set(claimId, settle);
    });
  }

  private receive(data: unknown): void {
    if (!isTabMessage(data)) return;
    if (data.type === 'refreshing') {
      this.claims.set(data.id, data.at);
      return;
    }
    this.claims.delete(data.id);
    if (data.type === 'refreshed') {
      if (!this.latest || data.at >= this.latest.at)
        this.latest = { at: data.at, accessToken: data.accessToken };
      this.waiters.get(data.id)?.(data.accessToken);
    } else {
      this.waiters.get(data.id)?.(null);
    }
  }

  private post(message: TabMessage): void {
    try {
      this.channel?.postMessage(message);
    } catch {
      // A closed channel: the other tabs refresh on their own.
    }
  }
}

/** The browser's channel for refreshes, where it has one. */
export function browserTabChannel(): TabChannel | undefined {
  const Channel = (globalThis as { BroadcastChannel?: typeof BroadcastChannel }).BroadcastChannel;
  return Channel ? new Channel(REFRESH_CHANNEL_NAME) : undefined;
}
