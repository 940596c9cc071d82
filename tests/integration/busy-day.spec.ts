import { ConversationEntity, MessageEntity } from '@toonbank/database';
import { seedBusyDay } from '../support/busy-day';
import { closeTestDatabase, testDatabase } from '../support/database';

/** The busy-day seeder the browser checks and the inbox benchmark stand on. */
describe('seedBusyDay', () => {
  afterAll(() => closeTestDatabase());

  it('writes every state, both languages, long texts and overdue SLAs, numbered like the app', async () => {
    const db = await testDatabase();
    const day = await seedBusyDay(db, { conversations: 320 });
    const rows = await db
      .getRepository(ConversationEntity)
      .findBy({ organisationId: day.organisation.id });
    expect(rows).toHaveLength(320);
    const count = (status: string) => rows.filter((row) => row.status === status).length;
    expect([count('unassigned'), count('assigned'), count('waiting'), count('closed')]).toEqual([
      128, 96, 32, 64,
    ]);
    expect(new Set(rows.map((row) => row.number)).size).toBe(320);
    expect(new Set(rows.map((row) => row.language))).toEqual(new Set(['nl', 'en']));
    expect(rows.filter((row) => row.slaBreached).length).toBeGreaterThan(0);
    expect(rows.filter((row) => row.slaDueAt && !row.slaBreached).length).toBeGreaterThan(0);
    const messages = await db
      .getRepository(MessageEntity)
      .findBy({ organisationId: day.organisation.id });
    expect(messages.length).toBe(320 + 32 + 64);
    expect(Math.max(...messages.map((message) => message.text.length))).toBeGreaterThan(1_000);
    expect(Object.values(day.byStatus).flat()).toHaveLength(320);

    const again = await seedBusyDay(db, { conversations: 320 });
    const previews = async (organisationId: string) =>
      (
        await db
          .getRepository(ConversationEntity)
          .find({ where: { organisationId }, order: { number: 'ASC' } })
      ).map((row) => `${row.status} ${row.preview}`);
    expect(await previews(again.organisation.id)).toEqual(await previews(day.organisation.id));
  });
});
