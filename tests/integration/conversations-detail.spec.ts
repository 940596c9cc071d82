// GET /api/conversations/:id (API.md §Conversations and messages, SPEC.md §2 and §4): one
// conversation with its thread, and who may read it.
// Against the real API, PostgreSQL and Redis, with no worker (see conversations-suite.ts).
import { randomUUID } from 'node:crypto';
import { MessageEntity, UserEntity } from '@toonbank/database';
import type { ConversationDetailDto, ConversationDto } from '@toonbank/shared';
import { expectError } from '../support/expect-error';
import { newReply } from '../support/factories';
import { conversationsSuite, LIST } from '../support/conversations-suite';

describe('conversations', () => {
  const { suite, setup, conversation, heldBy, get, setLevel } = conversationsSuite();

  describe('GET /api/conversations/:id', () => {
    it('answers the conversation with its messages oldest first, in the Message shape', async () => {
      const world = await setup();
      const c = await heldBy(world, world.agent, {
        customerHandle: '@klant@social.example',
        customerName: 'Klant',
        preview: 'Hallo, mijn factuur klopt niet',
        lastMessageAt: new Date('2026-03-01T10:10:00.000Z'),
      });
      const other = await conversation(world);
      const reply = await newReply(suite.db, c, world.agent, { status: 'sent' });
      const messages = suite.db.getRepository(MessageEntity);
      const base = {
        organisationId: world.organisation.id,
        conversationId: c.id,
        channelAccountId: world.channel.id,
      };
      // Stored out of order on purpose.
      const outbound = await messages.save(
        messages.create({
          ...base,
          direction: 'outbound',
          externalId: 'status-200',
          authorHandle: world.channel.handle,
          authorUserId: world.agent.id,
          text: 'Dank voor uw bericht. ^AB',
          replyId: reply.id,
          createdAt: new Date('2026-03-01T10:10:00.000Z'),
        }),
      );
      const inbound = await messages.save(
        messages.create({
          ...base,
          direction: 'inbound',
          externalId: 'status-100',
          authorExternalId: 'acct-1',
          authorHandle: '@klant@social.example',
          authorName: 'Klant',
          text: 'Hallo, mijn factuur klopt niet',
          attachments: [{ type: 'image', url: 'https://social.example/media/1.png' }],
          raw: { id: 'status-100', secret: 'kept inside' },
          createdAt: new Date('2026-03-01T10:00:00.000Z'),
        }),
      );
      const sameTime = new Date('2026-03-01T10:05:00.000Z');
      const notes = await Promise.all(
        ['Even nakijken @AB', 'Klopt, is al gemeld'].map((text) =>
          messages.save(
            messages.create({
              ...base,
              direction: 'note',
              externalId: null,
              authorUserId: world.teamLead.id,
              text,
              createdAt: sameTime,
            }),
          ),
        ),
      );
      notes.sort((a, b) => (a.id < b.id ? -1 : 1));
      await messages.save(
        messages.create({
          ...base,
          conversationId: other.id,
          direction: 'inbound',
          externalId: 'status-999',
          text: 'another conversation',
          createdAt: new Date('2026-03-01T09:00:00.000Z'),
        }),
      );

      const response = await get(world.tokens.agent, `${LIST}/${c.id}`).expect(200);
      const listed = (await get(world.tokens.agent, LIST, { status: 'assigned' }).expect(200)).body
        .items[0] as ConversationDto;
      const body = response.body as ConversationDetailDto;
      const { messages: got, ...conversationPart } = body;
      expect(conversationPart).toEqual(listed);
      expect(conversationPart).toMatchObject({ id: c.id, status: 'assigned' });
      expect(got).toEqual([
        {
          id: inbound.id,
          direction: 'inbound',
          externalId: 'status-100',
          externalUrl: null,
          authorHandle: '@klant@social.example',
          authorUserId: null,
          text: 'Hallo, mijn factuur klopt niet',
          attachments: [{ type: 'image', url: 'https://social.example/media/1.png' }],
          createdAt: '2026-03-01T10:00:00.000Z',
          replyId: null,
        },
        ...notes.map((note) => ({
          id: note.id,
          direction: 'note',
          externalId: null,
          externalUrl: null,
          authorHandle: null,
          authorUserId: world.teamLead.id,
          text: note.text,
          attachments: [],
          createdAt: '2026-03-01T10:05:00.000Z',
          replyId: null,
        })),
        {
          id: outbound.id,
          direction: 'outbound',
          externalId: 'status-200',
          externalUrl: null,
          authorHandle: world.channel.handle,
          authorUserId: world.agent.id,
          text: 'Dank voor uw bericht. ^AB',
          attachments: [],
          createdAt: '2026-03-01T10:10:00.000Z',
          replyId: reply.id,
        },
      ]);
      expect(JSON.stringify(body)).not.toContain('kept inside');

      // Each conversation has only its own messages; one without any has an empty list.
      const otherDetail = await get(world.tokens.agent, `${LIST}/${other.id}`).expect(200);
      expect(otherDetail.body.messages.map((m: { text: string }) => m.text)).toEqual([
        'another conversation',
      ]);
      const fresh = await conversation(world);
      expect(
        (await get(world.tokens.agent, `${LIST}/${fresh.id}`).expect(200)).body.messages,
      ).toEqual([]);
    });

    it("answers 404 for another organisation's conversation, an unknown id and a non-UUID id", async () => {
      const world = await setup();
      const other = await setup();
      const theirs = await conversation(other);
      for (const id of [theirs.id, theirs.id.toUpperCase(), randomUUID(), 'not-a-uuid', '123']) {
        expectError(await get(world.tokens.admin, `${LIST}/${id}`), 404, 'not_found');
      }
      // The same id in upper case is still the same conversation for its own organisation.
      const mine = await conversation(world);
      const upper = await get(world.tokens.admin, `${LIST}/${mine.id.toUpperCase()}`).expect(200);
      expect(upper.body.id).toBe(mine.id);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('who may read', () => {
    const reads = async (token: string, id: string) => ({
      list: (await get(token, LIST)).status,
      detail: (await get(token, `${LIST}/${id}`)).status,
    });
    const refusal = async (token: string, id: string) => {
      const [list, detail] = await Promise.all([get(token, LIST), get(token, `${LIST}/${id}`)]);
      return [list, detail].map((r) => `${r.status} ${r.body.code}`);
    };

    it('level 1: agents, team leads and admins read; communications, trained and untrained employees get 403 policy.not_eligible', async () => {
      const world = await setup();
      const c = await conversation(world);
      for (const token of [world.tokens.agent, world.tokens.lead, world.tokens.admin]) {
        expect(await reads(token, c.id)).toEqual({ list: 200, detail: 200 });
      }
      for (const token of [world.tokens.comms, world.tokens.trained, world.tokens.untrained]) {
        expect(await refusal(token, c.id)).toEqual([
          '403 policy.not_eligible',
          '403 policy.not_eligible',
        ]);
      }
    });

    it('level 2: the communications officer reads; employees still do not', async () => {
      const world = await setup({ maturityLevel: 2 });
      const c = await conversation(world);
      for (const token of [
        world.tokens.comms,
        world.tokens.agent,
        world.tokens.lead,
        world.tokens.admin,
      ]) {
        expect(await reads(token, c.id)).toEqual({ list: 200, detail: 200 });
      }
      for (const token of [world.tokens.trained, world.tokens.untrained]) {
        expect(await refusal(token, c.id)).toEqual([
          '403 policy.not_eligible',
          '403 policy.not_eligible',
        ]);
      }
    });

    it('level 3: the trained employee reads; the untrained employee never', async () => {
      const world = await setup({ maturityLevel: 3 });
      const c = await conversation(world);
      expect(await reads(world.tokens.trained, c.id)).toEqual({ list: 200, detail: 200 });
      expect(await reads(world.tokens.comms, c.id)).toEqual({ list: 200, detail: 200 });
      expect(await refusal(world.tokens.untrained, c.id)).toEqual([
        '403 policy.not_eligible',
        '403 policy.not_eligible',
      ]);
    });

    it('reads the maturity level afresh on every request', async () => {
      const world = await setup();
      const c = await conversation(world);
      expect((await get(world.tokens.comms, LIST)).status).toBe(403);
      await setLevel(world, 2);
      expect(await reads(world.tokens.comms, c.id)).toEqual({ list: 200, detail: 200 });
      await setLevel(world, 1);
      expect((await get(world.tokens.comms, LIST)).status).toBe(403);
      // Team leads and admins read whatever the level.
      expect(await reads(world.tokens.lead, c.id)).toEqual({ list: 200, detail: 200 });
    });

    it('answers 401 without a token and for a deactivated user', async () => {
      const world = await setup();
      expectError(await suite.app.http().get(LIST), 401, 'auth.unauthenticated');
      await suite.db.getRepository(UserEntity).update({ id: world.agent.id }, { active: false });
      expectError(await get(world.tokens.agent, LIST), 401, 'auth.unauthenticated');
    });
  });
});
