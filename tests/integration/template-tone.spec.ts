// Templates' `toneOk` (issue 14, API.md §Tone and templates): per channel a template is meant
// for, whether its text passes the organisation's CURRENT tone profile without an error,
// computed on the server, kept per profile version and template content, never judged again
// while nothing changed.
import { TemplateEntity } from '@toonbank/database';
import { CHANNEL_PROVIDERS, type TemplateDto, type ToneProfileDto } from '@toonbank/shared';
import { DEFAULT_TONE_PROFILE, ToneJudge } from '@toonbank/templates';
import { newStaffedOrganisation, newTemplate } from '../support/factories';
import { useTestApp } from '../support/suite';
import { bearer, signIn } from '../support/test-app';

const CLEAN = 'Dank voor uw bericht. We kijken er direct naar. ^{{agent.initials}}';
/** Over X's 280 weighted characters, well under Mastodon's 500. */
const LONG = `${'Dank voor uw bericht over de storing in uw wijk. '.repeat(7)}^{{agent.initials}}`;

describe('templates: toneOk per channel', () => {
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
  const list = async (token: string, query = '') =>
    (await suite.app.http().get(`/api/templates${query}`).set(bearer(token)).expect(200)).body
      .items as TemplateDto[];
  const toneOkOf = (items: TemplateDto[], id: string) => items.find((t) => t.id === id)?.toneOk;
  const putProfile = (token: string, changes: Partial<ToneProfileDto>) =>
    suite.app
      .http()
      .put('/api/tone/profile')
      .set(bearer(token))
      .send({ ...structuredClone(DEFAULT_TONE_PROFILE), ...changes })
      .expect(200);

  it('a clean template passes on every channel; one naming none covers every channel', async () => {
    const w = await world();
    const everywhere = await newTemplate(suite.db, w.organisation, { body: CLEAN });
    const two = await newTemplate(suite.db, w.organisation, {
      body: CLEAN,
      providers: ['mastodon', 'bluesky'],
    });
    const items = await list(w.tokens.agent);
    expect(toneOkOf(items, everywhere.id)).toEqual(
      Object.fromEntries(CHANNEL_PROVIDERS.map((provider) => [provider, true])),
    );
    expect(toneOkOf(items, two.id)).toEqual({ mastodon: true, bluesky: true });
  });

  it('too long for X, fine on Mastodon: false for x only', async () => {
    const w = await world();
    // Saved before the limits it breaks (the API refuses such a template now).
    const long = await newTemplate(suite.db, w.organisation, {
      body: LONG,
      providers: ['x', 'mastodon'],
    });
    const everywhere = await newTemplate(suite.db, w.organisation, { body: LONG });
    const items = await list(w.tokens.agent);
    expect(toneOkOf(items, long.id)).toEqual({ x: false, mastodon: true });
    expect(toneOkOf(items, everywhere.id)).toEqual({
      mastodon: true,
      bluesky: false, // 300 graphemes
      x: false,
      facebook: true,
      instagram: true,
    });
    // ?provider= keeps the answers of the channels each template is meant for.
    expect(toneOkOf(await list(w.tokens.agent, '?provider=x'), long.id)).toEqual({
      x: false,
      mastodon: true,
    });
  });

  it('a change of the tone profile flips toneOk at once, and back', async () => {
    const w = await world();
    const template = await newTemplate(suite.db, w.organisation, {
      body: 'Helaas is de storing nog niet verholpen. ^{{agent.initials}}',
      providers: ['mastodon'],
    });
    expect(toneOkOf(await list(w.tokens.agent), template.id)).toEqual({ mastodon: true });
    await putProfile(w.tokens.admin, {
      forbiddenPhrases: [{ phrase: 'helaas', suggestion: 'jammer genoeg' }],
    });
    expect(toneOkOf(await list(w.tokens.agent), template.id)).toEqual({ mastodon: false });
    await putProfile(w.tokens.admin, { forbiddenPhrases: [] });
    expect(toneOkOf(await list(w.tokens.agent), template.id)).toEqual({ mastodon: true });
  });

  it('a change of the template (in any process) is judged again; another organisation’s profile is not used', async () => {
    const w = await world();
    const other = await world();
    await putProfile(other.tokens.admin, {
      forbiddenPhrases: [{ phrase: 'storing', suggestion: 'onderbreking' }],
    });
    const template = await newTemplate(suite.db, w.organisation, {
      body: CLEAN,
      providers: ['x'],
    });
    expect(toneOkOf(await list(w.tokens.agent), template.id)).toEqual({ x: true });
    // Written behind the api's back, as another api process would.
    await suite.db.getRepository(TemplateEntity).update({ id: template.id }, { body: LONG });
    expect(toneOkOf(await list(w.tokens.agent), template.id)).toEqual({ x: false });
    const storing = await newTemplate(suite.db, w.organisation, {
      body: 'De storing is verholpen. ^{{agent.initials}}',
      providers: ['x'],
    });
    expect(toneOkOf(await list(w.tokens.agent), storing.id)).toEqual({ x: true });
  });

  it('judges each template once while nothing changes (not per request)', async () => {
    const w = await world();
    await Promise.all(
      [1, 2, 3].map(() => newTemplate(suite.db, w.organisation, { body: CLEAN, providers: ['x'] })),
    );
    const judge = suite.app.app.get(ToneJudge, { strict: false });
    const calls = jest.spyOn(judge, 'judge');
    try {
      await list(w.tokens.agent);
      expect(calls).toHaveBeenCalledTimes(3);
      calls.mockClear();
      await list(w.tokens.lead);
      await list(w.tokens.agent);
      expect(calls).not.toHaveBeenCalled();
      await putProfile(w.tokens.admin, { emojiAllowed: true });
      calls.mockClear();
      await list(w.tokens.agent);
      expect(calls).toHaveBeenCalledTimes(3);
    } finally {
      calls.mockRestore();
    }
  });

  it('the single-template answers carry toneOk too: created, changed, deleted', async () => {
    const w = await world();
    const created = await suite.app
      .http()
      .post('/api/templates')
      .set(bearer(w.tokens.lead))
      .send({ name: 'Storing', body: CLEAN, providers: ['mastodon', 'x'] })
      .expect(201);
    expect(created.body.toneOk).toEqual({ mastodon: true, x: true });
    const changed = await suite.app
      .http()
      .patch(`/api/templates/${created.body.id}`)
      .set(bearer(w.tokens.lead))
      .send({ providers: [] })
      .expect(200);
    expect(Object.keys(changed.body.toneOk).sort()).toEqual([...CHANNEL_PROVIDERS].sort());
    await putProfile(w.tokens.admin, {
      forbiddenPhrases: [{ phrase: 'direct', suggestion: 'meteen' }],
    });
    const deleted = await suite.app
      .http()
      .delete(`/api/templates/${created.body.id}`)
      .set(bearer(w.tokens.lead))
      .expect(200);
    expect(Object.values(deleted.body.toneOk)).toEqual(CHANNEL_PROVIDERS.map(() => false));
  });
});
