import type { ComposerPresenceDto } from '@toonbank/shared';
import { ComposerPresence, type Composer } from './composer-presence';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const IDLE_MS = 300;

const anna: Composer = {
  organisationId: 'org-1',
  conversationId: 'conversation-1',
  userId: 'anna',
  name: 'Anna de Vries',
};

describe('ComposerPresence', () => {
  let heard: string[];
  let presence: ComposerPresence;

  beforeEach(() => {
    heard = [];
    presence = new ComposerPresence(
      {
        toInboxExceptUser: (organisationId, userId, event, payload) =>
          heard.push(
            `${event} ${organisationId} ${(payload as ComposerPresenceDto).conversationId} ${userId}`,
          ),
      },
      IDLE_MS,
    );
  });
  afterEach(() => presence.onModuleDestroy());

  it('announces the first start only; a stop announces inactive', () => {
    presence.start('tab-1', anna);
    presence.start('tab-1', anna);
    presence.start('tab-1', anna);
    presence.stop('tab-1', anna.conversationId, anna.userId);
    presence.stop('tab-1', anna.conversationId, anna.userId);
    expect(heard).toEqual([
      'composer.active org-1 conversation-1 anna',
      'composer.inactive org-1 conversation-1 anna',
    ]);
  });

  it('a user writing in two tabs is active until the last tab stops or leaves', () => {
    presence.start('tab-1', anna);
    presence.start('tab-2', anna);
    presence.stop('tab-1', anna.conversationId, anna.userId);
    expect(heard).toEqual(['composer.active org-1 conversation-1 anna']);
    presence.leave('tab-2');
    expect(heard).toEqual([
      'composer.active org-1 conversation-1 anna',
      'composer.inactive org-1 conversation-1 anna',
    ]);
  });

  it('leaving ends every conversation the socket was writing in, and nothing else', () => {
    const other = { ...anna, conversationId: 'conversation-2' };
    const bob = { ...anna, userId: 'bob', name: 'Bob' };
    presence.start('tab-1', anna);
    presence.start('tab-1', other);
    presence.start('tab-bob', bob);
    presence.leave('tab-1');
    expect(heard.filter((line) => line.startsWith('composer.inactive')).sort()).toEqual([
      'composer.inactive org-1 conversation-1 anna',
      'composer.inactive org-1 conversation-2 anna',
    ]);
    expect(presence.isWriting('tab-bob', bob.conversationId, 'bob')).toBe(true);
  });

  it('heartbeats keep it active; a missed one makes it inactive; the next start announces again', async () => {
    presence.start('tab-1', anna);
    for (let beat = 0; beat < 4; beat += 1) {
      await sleep(IDLE_MS / 5);
      presence.start('tab-1', anna);
    }
    expect(heard).toEqual(['composer.active org-1 conversation-1 anna']);
    await sleep(IDLE_MS * 2);
    expect(heard).toEqual([
      'composer.active org-1 conversation-1 anna',
      'composer.inactive org-1 conversation-1 anna',
    ]);
    expect(presence.isWriting('tab-1', anna.conversationId, anna.userId)).toBe(false);
    presence.start('tab-1', anna);
    expect(heard).toHaveLength(3);
    expect(heard[2]).toBe('composer.active org-1 conversation-1 anna');
  });

  it('announces nothing more once the module is destroyed', async () => {
    presence.start('tab-1', anna);
    presence.onModuleDestroy();
    await sleep(IDLE_MS * 2);
    expect(heard).toEqual(['composer.active org-1 conversation-1 anna']);
  });
});
