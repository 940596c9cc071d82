// GET /api/audit (API.md §Audit, reports, privacy): the organisation's own entries only,
// newest first, filtered, keyset-paged; and the log stays append-only in the database.
import { AuditLogService } from '@toonbank/audit';
import { AuditAction, type AuditEntryDto } from '@toonbank/shared';
import { expectError, expectValidation } from '../support/expect-error';
import { newStaffedOrganisation } from '../support/factories';
import { useTestApp } from '../support/suite';
import { bearer, signIn } from '../support/test-app';

describe('GET /api/audit', () => {
  const suite = useTestApp();

  /** An organisation with `count` entries written one after another (oldest first). */
  const withEntries = async (count: number) => {
    const world = await newStaffedOrganisation(suite.db);
    const audit = new AuditLogService();
    for (let i = 0; i < count; i += 1) {
      await audit.record(suite.db.manager, {
        organisationId: world.organisation.id,
        actorId: i % 2 === 0 ? world.admin.id : world.teamLead.id,
        action: i % 3 === 0 ? AuditAction.ConversationAssigned : AuditAction.ConversationClosed,
        subjectType: 'conversation',
        subjectId: world.agent.id,
        before: { n: i },
        after: { n: i + 1 },
        reason: `entry ${i}`,
      });
    }
    return { ...world, token: await signIn(suite.app, world.admin) };
  };
  const get = (token: string, query: string) =>
    suite.app.http().get(`/api/audit${query}`).set(bearer(token));
  const reasons = (items: AuditEntryDto[]) => items.map((e) => e.reason);

  it('lists the entries newest first with their before and after values', async () => {
    const world = await withEntries(3);
    const response = await get(world.token, `?subjectId=${world.agent.id}`).expect(200);
    expect(reasons(response.body.items)).toEqual(['entry 2', 'entry 1', 'entry 0']);
    expect(response.body.items[0]).toEqual({
      id: expect.any(String),
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      actorId: world.admin.id,
      action: AuditAction.ConversationClosed,
      subjectType: 'conversation',
      subjectId: world.agent.id,
      before: { n: 2 },
      after: { n: 3 },
      reason: 'entry 2',
    });
    expect(response.body.nextCursor).toBeNull();
  });

  it('filters by action and by actor', async () => {
    const world = await withEntries(6);
    const byAction = await get(
      world.token,
      `?subjectId=${world.agent.id}&action=${AuditAction.ConversationAssigned}`,
    ).expect(200);
    expect(reasons(byAction.body.items)).toEqual(['entry 3', 'entry 0']);
    const byActor = await get(
      world.token,
      `?subjectId=${world.agent.id}&actorId=${world.teamLead.id}`,
    ).expect(200);
    expect(reasons(byActor.body.items)).toEqual(['entry 5', 'entry 3', 'entry 1']);
  });

  it('pages with the cursor through every entry exactly once', async () => {
    const world = await withEntries(7);
    const seen: (string | null)[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { body: { items: AuditEntryDto[]; nextCursor: string | null } } = await get(
        world.token,
        `?subjectId=${world.agent.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      ).expect(200);
      seen.push(...reasons(page.body.items));
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `entry ${i}`));
  });

  it('never shows another organisation’s entries', async () => {
    const mine = await withEntries(1);
    const theirs = await withEntries(2);
    const response = await get(mine.token, `?subjectId=${theirs.agent.id}`).expect(200);
    expect(response.body.items).toEqual([]);
    const all = await get(mine.token, '?limit=200').expect(200);
    expect(all.body.items.every((e: AuditEntryDto) => e.subjectId !== theirs.agent.id)).toBe(true);
  });

  it.each([
    ['an unknown action', '?action=conversation.exploded', 'action'],
    ['an actor that is not a UUID', '?actorId=42', 'actorId'],
    ['a limit over 200', '?limit=201', 'limit'],
  ])('refuses %s with 400', async (_name, query, field) => {
    const world = await withEntries(0);
    expectValidation(await get(world.token, query), field);
  });

  it('refuses a cursor it did not issue', async () => {
    const world = await withEntries(0);
    expectError(await get(world.token, '?cursor=forged.cursor'), 400, 'validation.failed');
  });

  it('refuses to change or delete an entry in the database itself', async () => {
    const world = await withEntries(1);
    await expect(
      suite.db.query(`UPDATE audit_log SET reason = 'rewritten' WHERE organisation_id = $1`, [
        world.organisation.id,
      ]),
    ).rejects.toThrow(/append-only/);
    await expect(
      suite.db.query(`DELETE FROM audit_log WHERE organisation_id = $1`, [world.organisation.id]),
    ).rejects.toThrow(/append-only/);
  });
});
