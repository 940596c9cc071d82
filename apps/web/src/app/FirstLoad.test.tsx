import { render, screen, within } from '@testing-library/react';
import type { UserDto } from '@toonbank/shared';
import { StrictMode } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { ApiClient } from '../api/client';
import { createQueryClient } from '../api/queries';
import { createI18n } from '../i18n';
import type { InboxSocket } from '../realtime/socket';
import { createFakeApi } from '../test/fakeApi';
import { AGENT, LEAD } from '../test/fixtures';
import { makeConversation, withInbox } from '../test/inboxFakes';
import { App } from './App';

/** A live socket that never connects: the first load is about REST reads only. */
const quietSocket = () => {
  const socket = {
    connected: false,
    active: true,
    on: () => socket,
    off: () => socket,
    emit: () => socket,
    connect: () => socket,
    disconnect: () => socket,
  };
  return socket as unknown as InboxSocket;
};

/**
 * The app as main.tsx renders it (inside StrictMode, which mounts every component twice in
 * development), signed in by the refresh cookie of an earlier visit, at `route`.
 */
function firstLoad(account: UserDto, route: string) {
  const fake = createFakeApi({ users: [account] });
  withInbox(fake, {
    conversations: [
      makeConversation({ status: 'assigned', assigneeId: account.id }),
      makeConversation({ id: '00000000-0000-4000-8000-00000000c002', status: 'unassigned' }),
    ],
  });
  fake.rememberSession(account.email);
  render(
    <StrictMode>
      <MemoryRouter initialEntries={[route]}>
        <App
          api={new ApiClient({ storage: window.localStorage, fetch: fake.fetch })}
          queryClient={createQueryClient()}
          i18n={createI18n(window.localStorage)}
          openSocket={quietSocket}
        />
      </MemoryRouter>
    </StrictMode>,
  );
  /** How often each route was asked for, e.g. `{ 'GET /api/org': 1 }`. */
  const counts = () => {
    const out: Record<string, number> = {};
    for (const { method, path } of fake.requests)
      out[`${method} ${path}`] = (out[`${method} ${path}`] ?? 0) + 1;
    return out;
  };
  return { counts };
}

const orgShown = async () => within(await screen.findByRole('banner')).findByText('Demo Energie');

describe('the first load asks for each resource once (issue 14)', () => {
  it('/ : the session, me and the organisation', async () => {
    const { counts } = firstLoad(AGENT, '/');
    await orgShown();
    await screen.findByRole('heading', { name: 'Welkom' });

    expect(counts()).toEqual({
      'POST /api/auth/refresh': 1,
      'GET /api/me': 1,
      'GET /api/org': 1,
    });
  });

  it('/inbox : the list, the colleagues and the organisation once each', async () => {
    const { counts } = firstLoad(AGENT, '/inbox');
    await orgShown();
    await screen.findByRole('list', { name: 'Van mij' });

    expect(counts()).toEqual({
      'POST /api/auth/refresh': 1,
      'GET /api/me': 1,
      'GET /api/org': 1,
      'GET /api/conversations': 1,
      'GET /api/conversations/counts': 1,
      'GET /api/users': 1,
    });
  });

  it('/board : the queue, the approvals and the team once each', async () => {
    const { counts } = firstLoad(LEAD, '/board');
    await orgShown();
    await screen.findByRole('heading', { level: 1 });

    expect(counts()).toMatchObject({
      'POST /api/auth/refresh': 1,
      'GET /api/me': 1,
      'GET /api/org': 1,
      'GET /api/conversations': 1,
      'GET /api/users': 1,
      'GET /api/users/eligible': 1,
      'GET /api/replies': 1,
    });
    expect(Math.max(...Object.values(counts()))).toBe(1);
  });
});
