// The tone profile, the tone check and templates (API.md §Tone and templates, SPEC.md §5),
// against the real API and PostgreSQL: what is stored, what is refused and with which
// error, the audit entries, and the organisation's scope on every record.
import { randomUUID } from 'node:crypto';
import { AuditLogEntity, TemplateEntity } from '@toonbank/database';
import {
  AuditAction,
  type TemplateDto,
  type ToneCheckResultDto,
  type ToneProfileDto,
} from '@toonbank/shared';
import { DEFAULT_TONE_PROFILE } from '@toonbank/templates';
import { expectError, expectValidation } from '../support/expect-error';
import {
  newAnsweredConversation,
  newChannelAccount,
  newConversation,
  newInboundMessage,
  newStaffedOrganisation,
  newTemplate,
} from '../support/factories';
import { useTestApp } from '../support/suite';
import { bearer, signIn } from '../support/test-app';

const profileWith = (changes: Partial<ToneProfileDto>): ToneProfileDto => ({
  ...structuredClone(DEFAULT_TONE_PROFILE),
  ...changes,
});

describe('tone of voice and templates', () => {
  const suite = useTestApp();

  const world = async () => {
    const staffed = await newStaffedOrganisation(suite.db);
    const [admin, lead, agent] = await Promise.all([
      signIn(suite.app, staffed.admin),
      signIn(suite.app, staffed.teamLead),
      signIn(suite.app, staffed.agent),
    ]);
    return { ...staffed, tokens: { admin, lead, agent } };
  };
  const auditOf = (organisationId: string, action: AuditAction) =>
    suite.db
      .getRepository(AuditLogEntity)
      .find({ where: { organisationId, action }, order: { at: 'ASC' } });

  describe('the profile', () => {
    it('answers the defaults of a new organisation to everyone signed in', async () => {
      const w = await world();
      const response = await suite.app
        .http()
        .get('/api/tone/profile')
        .set(bearer(w.tokens.agent))
        .expect(200);
      expect(response.body).toEqual(DEFAULT_TONE_PROFILE);
    });

    it('an admin replaces it: stored, audited with before and after, and a repeat changes nothing', async () => {
      const w = await world();
      const profile = profileWith({
        addressForm: { default: 'informal', perChannel: { x: 'formal' }, mirrorCustomer: true },
        forbiddenPhrases: [{ phrase: 'helaas', suggestion: 'jammer genoeg' }],
        signoff: { required: true, pattern: '-\\s?[A-Z][a-z]+$' },
        emojiAllowed: true,
      });
      const saved = await suite.app
        .http()
        .put('/api/tone/profile')
        .set(bearer(w.tokens.admin))
        .send(profile)
        .expect(200);
      expect(saved.body).toEqual(profile);
      expect(
        (await suite.app.http().get('/api/tone/profile').set(bearer(w.tokens.lead))).body,
      ).toEqual(profile);
      await suite.app
        .http()
        .put('/api/tone/profile')
        .set(bearer(w.tokens.admin))
        .send(profile)
        .expect(200);
      const audit = await auditOf(w.organisation.id, AuditAction.ToneProfileChanged);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actorId: w.admin.id,
        subjectType: 'tone_profile',
        before: { emojiAllowed: false, forbiddenPhrases: [] },
        after: {
          emojiAllowed: true,
          forbiddenPhrases: [{ phrase: 'helaas', suggestion: 'jammer genoeg' }],
        },
      });
    });

    it.each([
      [
        'a pattern RE2 cannot compile',
        { signoff: { required: true, pattern: '(unclosed' } },
        'signoff.pattern',
      ],
      [
        'a backreference (not linear-time)',
        { signoff: { required: true, pattern: '(a)\\1$' } },
        'signoff.pattern',
      ],
      [
        'a pattern over 100 characters',
        { signoff: { required: true, pattern: 'a'.repeat(101) } },
        'signoff.pattern',
      ],
      [
        'the same forbidden phrase twice',
        {
          forbiddenPhrases: [
            { phrase: 'Helaas', suggestion: '' },
            { phrase: 'helaas ', suggestion: '' },
          ],
        },
        'forbiddenPhrases',
      ],
      [
        'a blank forbidden phrase',
        { forbiddenPhrases: [{ phrase: '  ', suggestion: '' }] },
        'forbiddenPhrases',
      ],
      ['an unknown language', { language: 'de' }, 'language'],
      [
        'an unknown channel',
        {
          addressForm: {
            default: 'formal',
            perChannel: { myspace: 'formal' },
            mirrorCustomer: false,
          },
        },
        'addressForm',
      ],
      ['an unknown field', { tone: 'friendly' }, 'tone'],
    ])('refuses %s (400, nothing stored)', async (_what, changes, field) => {
      const w = await world();
      const response = await suite.app
        .http()
        .put('/api/tone/profile')
        .set(bearer(w.tokens.admin))
        .send({ ...DEFAULT_TONE_PROFILE, ...changes });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation.failed');
      expect((response.body.details.fields as string[]).some((f) => f.startsWith(field))).toBe(
        true,
      );
      expect(
        (await suite.app.http().get('/api/tone/profile').set(bearer(w.tokens.admin))).body,
      ).toEqual(DEFAULT_TONE_PROFILE);
    });

    it('a pattern that would backtrack for ever elsewhere is checked in linear time', async () => {
      const w = await world();
      await suite.app
        .http()
        .put('/api/tone/profile')
        .set(bearer(w.tokens.admin))
        .send(profileWith({ signoff: { required: true, pattern: '^(a+)+$' } }))
        .expect(200);
      const check = await suite.app
        .http()
        .post('/api/tone/check')
        .set(bearer(w.tokens.agent))
        .send({ text: `${'a'.repeat(5000)}!` })
        .expect(200);
      expect(check.body.findings.map((f: { ruleId: string }) => f.ruleId)).toContain(
        'signoff.missing',
      );
    });
  });

  describe('the check', () => {
    const check = async (token: string, body: object) =>
      (await suite.app.http().post('/api/tone/check').set(bearer(token)).send(body).expect(200))
        .body as ToneCheckResultDto;

    it('finds mixed address as one error pointing at the words, and ok is false', async () => {
      const w = await world();
      const text = 'Kunt u je klantnummer sturen? ^AB';
      const result = await check(w.tokens.agent, { text });
      expect(result.ok).toBe(false);
      const errors = result.findings.filter((f) => f.severity === 'error');
      expect(errors.map((f) => f.ruleId)).toEqual(['address.mixed']);
      expect(text.slice(errors[0]!.start, errors[0]!.end)).toMatch(/^(u|je|Kunt u)$/);
    });

    it('a clean formal reply is ok, with no findings', async () => {
      const w = await world();
      expect(
        await check(w.tokens.agent, {
          text: 'Dank voor uw bericht. Wij kijken het direct na. ^AB',
        }),
      ).toEqual({
        ok: true,
        findings: [],
      });
    });

    it("counts length by the channel's rule: X weighs, Mastodon counts characters", async () => {
      const w = await world();
      const text = `${'Wij helpen u graag verder. '.repeat(11)}^AB`;
      expect(text.length).toBeGreaterThan(280);
      expect(text.length).toBeLessThan(500);
      const onX = await check(w.tokens.agent, { text, provider: 'x' });
      expect(onX.findings.map((f) => f.ruleId)).toContain('length.max');
      const onMastodon = await check(w.tokens.agent, { text, provider: 'mastodon' });
      expect(onMastodon.findings.map((f) => f.ruleId)).not.toContain('length.max');
    });

    it('PII blocks a public reply and passes a private one', async () => {
      const w = await world();
      const text = 'Belt u ons gerust op 020 123 4567. ^AB';
      expect(
        (await check(w.tokens.agent, { text, provider: 'mastodon' })).findings.map((f) => f.ruleId),
      ).toContain('pii.exposed');
      expect((await check(w.tokens.agent, { text, provider: 'mastodon', private: true })).ok).toBe(
        true,
      );
    });

    it('on a conversation: its channel and the customer’s own form of address count', async () => {
      const w = await world();
      const channel = await newChannelAccount(suite.db, w.organisation, { provider: 'x' });
      const conversation = await newConversation(suite.db, w.organisation, channel);
      await newInboundMessage(suite.db, conversation, {
        text: 'Hoi, kun je mij helpen? Mijn stroom is weg.',
      });
      const result = await check(w.tokens.lead, {
        text: 'Dank voor uw bericht, wij helpen u graag. ^AB',
        conversationId: conversation.id,
      });
      expect(result.ok).toBe(true);
      expect(result.findings).toEqual([
        expect.objectContaining({ ruleId: 'address.customer_form', severity: 'info' }),
      ]);
    });

    it('refuses a direct message where the channel has none (400), and another organisation’s conversation (404)', async () => {
      const w = await world();
      const bluesky = await newChannelAccount(suite.db, w.organisation, { provider: 'bluesky' });
      const conversation = await newAnsweredConversation(suite.db, w.organisation, bluesky);
      const privately = await suite.app
        .http()
        .post('/api/tone/check')
        .set(bearer(w.tokens.lead))
        .send({ text: 'Dank u. ^AB', conversationId: conversation.id, private: true });
      expect([privately.status, privately.body.code]).toEqual([400, 'validation.failed']);
      const other = await world();
      const foreign = await suite.app
        .http()
        .post('/api/tone/check')
        .set(bearer(other.tokens.lead))
        .send({ text: 'Dank u. ^AB', conversationId: conversation.id });
      expect([foreign.status, foreign.body.code]).toEqual([404, 'not_found']);
    });

    it('speaks the reader’s language', async () => {
      const w = await world();
      await suite.db.query(`UPDATE users SET languages = '{en}' WHERE id = $1`, [w.agent.id]);
      const result = await check(w.tokens.agent, { text: 'Kunt u je klantnummer sturen? ^AB' });
      const dutch = await check(w.tokens.lead, { text: 'Kunt u je klantnummer sturen? ^AB' });
      expect(result.findings[0]!.message).not.toEqual(dutch.findings[0]!.message);
    });
  });

  describe('templates', () => {
    const create = (token: string, body: object) =>
      suite.app.http().post('/api/templates').set(bearer(token)).send(body);

    it('a team lead creates one: its input slots listed, audited, listed by name', async () => {
      const w = await world();
      const response = await create(w.tokens.lead, {
        name: 'Storing',
        body: 'Beste {{customer.name}}, de storing bij {{input.postcode}} is om {{input.tijd}} verholpen. ^{{agent.initials}}',
        providers: ['x', 'mastodon'],
      }).expect(201);
      const template = response.body as TemplateDto;
      expect(template).toMatchObject({
        name: 'Storing',
        providers: ['x', 'mastodon'],
        language: null,
        inputs: ['postcode', 'tijd'],
        createdBy: w.teamLead.id,
      });
      expect(await auditOf(w.organisation.id, AuditAction.TemplateCreated)).toHaveLength(1);
      const list = await suite.app
        .http()
        .get('/api/templates')
        .set(bearer(w.tokens.agent))
        .expect(200);
      expect(list.body).toEqual({ items: [template], nextCursor: null });
    });

    it('refuses an unknown placeholder (400) and names it', async () => {
      const w = await world();
      const response = await create(w.tokens.lead, {
        name: 'Typo',
        body: 'Beste {{customer.naam}}, ^{{agent.initials}}',
      });
      expect([response.status, response.body.code]).toEqual([400, 'validation.failed']);
      expect(response.body.message).toContain('customer.naam');
      expect(
        await suite.db.getRepository(TemplateEntity).countBy({ organisationId: w.organisation.id }),
      ).toBe(0);
      const patch = await suite.app
        .http()
        .patch(`/api/templates/${randomUUID()}`)
        .set(bearer(w.tokens.lead))
        .send({ body: 'Beste {{klant}}, ^{{agent.initials}}' });
      expect([patch.status, patch.body.code]).toEqual([400, 'validation.failed']);
    });

    it('answers promptly on bodies shaped to make a placeholder pattern backtrack (issue 11)', async () => {
      const w = await world();
      // A regular expression took over a minute on 5,000 characters of `{{` and spaces; the
      // scanner takes microseconds, so seconds of margin leave room for a busy machine.
      const timed = async <T>(send: () => Promise<T>) => {
        const started = performance.now();
        const response = await send();
        return { response, ms: performance.now() - started };
      };
      const spaces = ' '.repeat(4_900);
      const open = await timed(() =>
        create(w.tokens.lead, {
          name: 'Open',
          body: `{{${spaces}Groet, ^{{agent.initials}}`,
          // The one channel whose public replies may be this long.
          providers: ['facebook'],
        }),
      );
      expect(open.response.status).toBe(201);
      expect((open.response.body as TemplateDto).inputs).toEqual([]);
      const empty = await timed(() =>
        create(w.tokens.lead, { name: 'Leeg', body: `{{${spaces}}} ^{{agent.initials}}` }),
      );
      expectError(empty.response, 400, 'validation.failed');
      const patched = await timed(() =>
        suite.app
          .http()
          .patch(`/api/templates/${(open.response.body as TemplateDto).id}`)
          .set(bearer(w.tokens.lead))
          .send({ body: `${'{{ '.repeat(1_600)}^{{agent.initials}}`, providers: ['facebook'] }),
      );
      expect(patched.response.status).toBe(200);
      // Past the body's limit: refused by validation before anything parses it.
      const huge = await timed(() =>
        create(w.tokens.lead, { name: 'Groot', body: `{{${' '.repeat(99_998)}` }),
      );
      expectValidation(huge.response, 'body');
      for (const { ms } of [open, empty, patched, huge]) expect(ms).toBeLessThan(5_000);
    });

    it('refuses tone errors on any of its channels (422 tone.violations, with the findings)', async () => {
      const w = await world();
      const informal = await create(w.tokens.lead, {
        name: 'Jij',
        body: 'Kun je je klantnummer sturen? ^{{agent.initials}}',
      });
      expect([informal.status, informal.body.code]).toEqual([422, 'tone.violations']);
      expect(informal.body.details.findings.map((f: { ruleId: string }) => f.ruleId)).toContain(
        'address.wrong_form',
      );
      const long = await create(w.tokens.lead, {
        name: 'Lang',
        body: `${'Wij helpen u graag verder. '.repeat(11)}^{{agent.initials}}`,
        providers: ['mastodon', 'x'],
      });
      expect([long.status, long.body.code]).toEqual([422, 'tone.violations']);
      expect(long.body.details.findings).toEqual([
        expect.objectContaining({ ruleId: 'length.max', provider: 'x' }),
      ]);
      const mastodonOnly = await create(w.tokens.lead, {
        name: 'Lang',
        body: `${'Wij helpen u graag verder. '.repeat(11)}^{{agent.initials}}`,
        providers: ['mastodon'],
      });
      expect(mastodonOnly.status).toBe(201);
    });

    it('refuses a second template of the same name (409)', async () => {
      const w = await world();
      await create(w.tokens.lead, {
        name: 'Dubbel',
        body: 'Dank u wel. ^{{agent.initials}}',
      }).expect(201);
      const again = await create(w.tokens.admin, {
        name: 'Dubbel',
        body: 'Dank u. ^{{agent.initials}}',
      });
      expect([again.status, again.body.code, again.body.details]).toEqual([
        409,
        'conflict',
        { reason: 'name_taken' },
      ]);
    });

    it('pages by name and filters by channel', async () => {
      const w = await world();
      await newTemplate(suite.db, w.organisation, { name: 'A alle kanalen' });
      await newTemplate(suite.db, w.organisation, { name: 'B alleen X', providers: ['x'] });
      await newTemplate(suite.db, w.organisation, {
        name: 'C alleen Bluesky',
        providers: ['bluesky'],
      });
      const first = await suite.app
        .http()
        .get('/api/templates?limit=2')
        .set(bearer(w.tokens.agent))
        .expect(200);
      expect(first.body.items.map((t: TemplateDto) => t.name)).toEqual([
        'A alle kanalen',
        'B alleen X',
      ]);
      const second = await suite.app
        .http()
        .get(`/api/templates?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`)
        .set(bearer(w.tokens.agent))
        .expect(200);
      expect(second.body).toEqual({
        items: [expect.objectContaining({ name: 'C alleen Bluesky' })],
        nextCursor: null,
      });
      const forX = await suite.app
        .http()
        .get('/api/templates?provider=x')
        .set(bearer(w.tokens.agent))
        .expect(200);
      expect(forX.body.items.map((t: TemplateDto) => t.name)).toEqual([
        'A alle kanalen',
        'B alleen X',
      ]);
      const bad = await suite.app
        .http()
        .get('/api/templates?cursor=forged')
        .set(bearer(w.tokens.agent));
      expect(bad.status).toBe(400);
    });

    it('a change is checked again as a whole; a delete is soft and hides it', async () => {
      const w = await world();
      const template = await newTemplate(suite.db, w.organisation);
      const bad = await suite.app
        .http()
        .patch(`/api/templates/${template.id}`)
        .set(bearer(w.tokens.lead))
        .send({ body: 'Heb je dit al geprobeerd? ^{{agent.initials}}' });
      expect([bad.status, bad.body.code]).toEqual([422, 'tone.violations']);
      const renamed = await suite.app
        .http()
        .patch(`/api/templates/${template.id}`)
        .set(bearer(w.tokens.lead))
        .send({ name: 'Nieuwe naam', language: 'nl' })
        .expect(200);
      expect(renamed.body).toMatchObject({
        name: 'Nieuwe naam',
        language: 'nl',
        body: template.body,
      });
      await suite.app
        .http()
        .delete(`/api/templates/${template.id}`)
        .set(bearer(w.tokens.lead))
        .expect(200);
      expect(
        (await suite.app.http().get('/api/templates').set(bearer(w.tokens.lead))).body.items,
      ).toEqual([]);
      expect(
        (await suite.db.getRepository(TemplateEntity).findOneByOrFail({ id: template.id }))
          .deletedAt,
      ).not.toBeNull();
      const again = await suite.app
        .http()
        .delete(`/api/templates/${template.id}`)
        .set(bearer(w.tokens.lead));
      expect(again.status).toBe(404);
      expect((await auditOf(w.organisation.id, AuditAction.TemplateUpdated))[0]).toMatchObject({
        before: { name: template.name, language: null },
        after: { name: 'Nieuwe naam', language: 'nl' },
      });
    });

    it('another organisation’s template is 404, and its list is empty', async () => {
      const w = await world();
      const other = await world();
      const template = await newTemplate(suite.db, other.organisation);
      const response = await suite.app
        .http()
        .patch(`/api/templates/${template.id}`)
        .set(bearer(w.tokens.lead))
        .send({ name: 'Gekaapt' });
      expect([response.status, response.body.code]).toEqual([404, 'not_found']);
      expect(
        (await suite.app.http().get('/api/templates').set(bearer(w.tokens.lead))).body.items,
      ).toEqual([]);
    });
  });
});
