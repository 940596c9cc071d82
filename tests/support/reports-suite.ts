// The shared world of the reports suites (tests/integration/reports-*.spec.ts): the app and
// database of useTestApp, and conversations, replies and assignments at exact times.
import type { ChannelAccountEntity, UserEntity } from '@toonbank/database';
import type { ReportSummaryDto } from '@toonbank/shared';
import {
  newChannelAccount,
  newConversation,
  newReply,
  type newStaffedOrganisation,
} from './factories';
import { useTestApp } from './suite';
import { bearer, signIn } from './test-app';

export type Staffed = Awaited<ReturnType<typeof newStaffedOrganisation>>;

export const HOURS = Array.from({ length: 24 }, (_, hour) => hour);
/** 24 hour rows with the given counts, 0 elsewhere. */
export const perHour = (counts: Record<number, number>) =>
  HOURS.map((hour) => ({ hour, count: counts[hour] ?? 0 }));
export const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000);

/** Call at the top of a describe block: registers the suite's set-up and returns its helpers. */
export function reportsSuite() {
  const suite = useTestApp();

  const summary = async (world: Staffed, query: string): Promise<ReportSummaryDto> => {
    const token = await signIn(suite.app, world.teamLead);
    const response = await suite.app.http().get(`/api/reports/summary${query}`).set(bearer(token));
    expect({
      status: response.status,
      body: response.status === 200 ? 'ok' : response.body,
    }).toEqual({ status: 200, body: 'ok' });
    return response.body as ReportSummaryDto;
  };

  /** One channel per organisation for the conversations made by conversationAt. */
  const channels: Record<string, Promise<ChannelAccountEntity>> = {};

  /** A conversation with exact times (created_at is the stored time: set after the insert). */
  const conversationAt = async (
    world: Staffed,
    times: { created: string; firstResponse?: string; closed?: string; due?: string },
    overrides: Parameters<typeof newConversation>[3] = {},
  ) => {
    const channel = await (channels[world.organisation.id] ??= newChannelAccount(
      suite.db,
      world.organisation,
    ));
    const conversation = await newConversation(suite.db, world.organisation, channel, {
      status: 'closed',
      firstResponseAt: times.firstResponse ? new Date(times.firstResponse) : null,
      closedAt: times.closed ? new Date(times.closed) : null,
      slaDueAt: times.due ? new Date(times.due) : null,
      ...overrides,
    });
    await suite.db.query('UPDATE conversations SET created_at = $2 WHERE id = $1', [
      conversation.id,
      times.created,
    ]);
    return conversation;
  };

  /** A conversation answered `seconds` after it was created, by `author`'s sent reply. */
  const answered = async (world: Staffed, created: string, seconds: number, author: UserEntity) => {
    const conversation = await conversationAt(
      world,
      { created, firstResponse: plus(created, seconds).toISOString() },
      { status: 'waiting', assigneeId: author.id },
    );
    await newReply(suite.db, conversation, author, {
      status: 'sent',
      sentAt: plus(created, seconds),
    });
    return conversation;
  };

  const assignedAt = (world: Staffed, conversationId: string, userId: string, at: string) =>
    suite.db.query(
      `INSERT INTO audit_log (organisation_id, at, action, subject_type, subject_id, after)
       VALUES ($1, $2, 'conversation.assigned', 'conversation', $3, $4)`,
      [world.organisation.id, at, conversationId, { assigneeId: userId, status: 'assigned' }],
    );

  return { suite, summary, conversationAt, answered, assignedAt };
}
