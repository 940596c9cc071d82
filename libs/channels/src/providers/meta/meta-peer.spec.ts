import { SafeHttp } from '../../http/safe-http';
import { DEMO_INSTAGRAM, DEMO_PAGE, MetaPeer } from '../../fakes/meta-peer';

const HOUR = 3_600_000;
let clock = new Date('2025-03-03T09:00:00Z');
let peer: MetaPeer;
let http: SafeHttp;

beforeAll(async () => {
  peer = await new MetaPeer({ now: () => clock }).start();
  http = new SafeHttp(true);
});

afterAll(async () => {
  await http.close();
  await peer.close();
});

const graph = (path: string) => `${peer.graphBaseUrl}${path}`;
const bearer = { authorization: `Bearer ${DEMO_PAGE.token}` };

describe('MetaPeer (the Graph API subset)', () => {
  it('takes the token as access_token too, and sends usage headers on every answer', async () => {
    const answer = await http.send({
      url: graph(`/${DEMO_INSTAGRAM.id}?fields=id,username&access_token=${DEMO_PAGE.token}`),
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ id: DEMO_INSTAGRAM.id, username: DEMO_INSTAGRAM.username });
    expect(JSON.parse(answer.headers['x-app-usage'])).toHaveProperty('call_count');
    expect(JSON.parse(answer.headers['x-business-use-case-usage'])).toHaveProperty(DEMO_PAGE.id);
  });

  it.each<[string, Record<string, string>, number]>([
    ['no token', {}, 104],
    ['a wrong token', { authorization: 'Bearer EAAGwrong' }, 190],
  ])('answers %s with Graph error %d', async (_name, headers, code) => {
    const answer = await http.send({ url: graph(`/${DEMO_PAGE.id}?fields=id,name`), headers });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { code, type: 'OAuthException' } });
  });

  it('accepts the Send API in the documented form style (JSON inside form fields)', async () => {
    const { message } = peer.messengerMessage();
    const answer = await http.send({
      method: 'POST',
      url: graph(`/${DEMO_PAGE.id}/messages`),
      headers: bearer,
      form: {
        recipient: JSON.stringify({ id: message.psid }),
        messaging_type: 'RESPONSE',
        message: JSON.stringify({ text: 'Hallo!' }),
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ recipient_id: message.psid });
  });

  it('enforces the 24-hour window and the HUMAN_AGENT tag', async () => {
    const { message } = peer.messengerMessage({ at: new Date(clock.getTime() - 30 * HOUR) });
    const send = (extra: Record<string, unknown>) =>
      http.send({
        method: 'POST',
        url: graph(`/${DEMO_PAGE.id}/messages`),
        headers: bearer,
        json: { recipient: { id: message.psid }, message: { text: 'Hoi' }, ...extra },
      });
    const late = await send({ messaging_type: 'RESPONSE' });
    expect(late.json).toMatchObject({ error: { code: 10, error_subcode: 2018278 } });
    const tagged = await send({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    expect(tagged.status).toBe(200);
    const badTag = await send({ messaging_type: 'MESSAGE_TAG', tag: 'ACCOUNT_UPDATE' });
    expect(badTag.json).toMatchObject({ error: { code: 100 } });
  });

  it('refuses a message to someone who never wrote', async () => {
    const answer = await http.send({
      method: 'POST',
      url: graph(`/${DEMO_PAGE.id}/messages`),
      headers: bearer,
      json: { recipient: { id: '7999' }, messaging_type: 'RESPONSE', message: { text: 'Hoi' } },
    });
    expect(answer.json).toMatchObject({ error: { code: 100, error_subcode: 2018001 } });
  });

  it('throttles with or without an estimate, and fails on demand a number of times', async () => {
    peer.throttleNext({ code: 17, minutes: null });
    const throttled = await http.send({ url: graph(`/${DEMO_PAGE.id}`), headers: bearer });
    expect(throttled.json).toMatchObject({ error: { code: 17 } });
    expect(throttled.headers['x-business-use-case-usage']).toBeUndefined();

    peer.failNext(500, 2);
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await http.send({ url: graph(`/${DEMO_PAGE.id}`), headers: bearer })).status);
    }
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('builds realistic ids and Dutch texts', () => {
    clock = new Date('2025-03-04T12:00:00Z');
    const fb = peer.pageComment();
    expect(fb.comment.id).toMatch(new RegExp(`^${DEMO_PAGE.id}_\\d+_\\d+$`));
    expect(fb.delivery.entry[0]).toMatchObject({ id: DEMO_PAGE.id, time: clock.getTime() / 1000 });
    const ig = peer.instagramComment();
    expect(ig.comment.id).toMatch(/^179\d{14}$/);
    expect(ig.comment.text).toMatch(/^@demo_energie /);
    const dm = peer.messengerMessage();
    expect(dm.message.mid).toMatch(/^m_/);
    expect(dm.message.psid).toMatch(/^7\d{15}$/);
    expect(`${fb.comment.text} ${dm.message.text}`).toMatch(/mijn|jullie|hoe|bedankt|waar/i);
  });
});
