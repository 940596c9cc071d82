import { isLead } from '@toonbank/policy';
import { COUNT_CAP, type ConversationCountsDto, type Role } from '@toonbank/shared';

/**
 * An organisation's inbox counted once (at most every 5 s), kept in Redis: what every user's
 * tab counts are made of. Numbers are capped at COUNT_CAP ("more than 999").
 */
export interface CountsSnapshot {
  /** ISO-8601. */
  computedAt: string;
  unassigned: number;
  /** Every waiting conversation (team leads' and admins' Waiting tab). */
  waiting: number;
  closed: number;
  /** Per assignee with open work: [assigned, waiting]. */
  assignees: Record<string, [number, number]>;
}

/** A count as it is sent: 0..COUNT_CAP, COUNT_CAP standing for "more than 999". */
export const capped = (count: number): number =>
  Math.min(Math.max(0, Math.trunc(count)), COUNT_CAP);

/**
 * One user's tab counts, as the web app's inbox tabs list them (`tabFilters` of
 * apps/web/src/inbox/InboxPage.tsx): Mine = assigned to them; Unassigned; Waiting = every one
 * for team leads and admins, their own for everyone else; Closed.
 */
export function countsFor(
  snapshot: CountsSnapshot,
  user: { id: string; role: Role },
): ConversationCountsDto {
  const [assigned, waiting] = snapshot.assignees[user.id] ?? [0, 0];
  return {
    mine: capped(assigned),
    unassigned: capped(snapshot.unassigned),
    waiting: capped(isLead(user.role) ? snapshot.waiting : waiting),
    closed: capped(snapshot.closed),
    computedAt: snapshot.computedAt,
  };
}

/**
 * Whether a user is to hear `next`, given what they were last sent (`told`, null: nothing yet):
 * not when a count as new or newer was sent to them (an older count that finished late), nor
 * when their numbers are the same (the time aside). What was sent is kept per user, so that a
 * change of role (another Waiting tab) is news too.
 */
export function isNews(told: ConversationCountsDto | null, next: ConversationCountsDto): boolean {
  if (!told) return true;
  if (Date.parse(told.computedAt) >= Date.parse(next.computedAt)) return false;
  return (
    told.mine !== next.mine ||
    told.unassigned !== next.unassigned ||
    told.waiting !== next.waiting ||
    told.closed !== next.closed
  );
}

/** What a user was last sent, read back from Redis, or null when it is not that. */
export function parseTold(text: string | null | undefined): ConversationCountsDto | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<ConversationCountsDto>;
    const numbers = [value.mine, value.unassigned, value.waiting, value.closed];
    if (typeof value.computedAt !== 'string' || numbers.some((n) => typeof n !== 'number'))
      return null;
    return value as ConversationCountsDto;
  } catch {
    return null;
  }
}

/** A snapshot read back from Redis, or null when it is not one (an older or foreign shape). */
export function parseSnapshot(text: string | null): CountsSnapshot | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<CountsSnapshot>;
    const numbers = [value.unassigned, value.waiting, value.closed];
    if (
      typeof value.computedAt !== 'string' ||
      numbers.some((n) => typeof n !== 'number') ||
      typeof value.assignees !== 'object' ||
      value.assignees === null
    )
      return null;
    return value as CountsSnapshot;
  } catch {
    return null;
  }
}
