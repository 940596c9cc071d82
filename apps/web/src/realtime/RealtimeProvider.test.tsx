import { screen, waitFor } from '@testing-library/react';
import { SIGNED_IN_KEY } from '../api/client';
import { createFakeApi } from '../test/fakeApi';
import { createFakeSocket } from '../test/fakeSocket';
import { ADMIN } from '../test/fixtures';
import { renderApp } from '../test/renderApp';

/** Signed in, on the home screen, with the live socket open. */
const signedInWithSocket = async () => {
  const fake = createFakeApi({ users: [ADMIN] });
  fake.rememberSession(ADMIN.email);
  const socket = createFakeSocket();
  const { api } = renderApp(fake, { socket });
  await screen.findByRole('heading', { name: 'Welkom' });
  await waitFor(() => expect(socket.connected).toBe(true));
  return { fake, socket, api };
};

const handedOn = (socket: ReturnType<typeof createFakeSocket>) =>
  socket.sent.filter((entry) => entry.event === 'auth.refresh').map((entry) => entry.payload);

describe('the live socket and the access token', () => {
  it('hands each refreshed access token to the open socket (auth.refresh)', async () => {
    const { api, socket } = await signedInWithSocket();
    // Resuming the session made access-2, which the handshake carried.
    expect(handedOn(socket)).toEqual([]);

    await api.refresh();
    expect(handedOn(socket)).toEqual([{ accessToken: 'access-3' }]);
    socket.acknowledge('auth.refresh', { ok: true, exp: new Date().toISOString() });

    await api.refresh();
    expect(handedOn(socket)).toEqual([{ accessToken: 'access-3' }, { accessToken: 'access-4' }]);
    expect(socket.connects).toBe(1); // accepted: the same connection goes on
  });

  it('reconnects, with a fresh handshake, when the server refuses the new token', async () => {
    const { api, socket } = await signedInWithSocket();
    await api.refresh();

    socket.acknowledge('auth.refresh', { ok: false, code: 'auth.unauthenticated' });

    expect(socket.connects).toBe(2);
    expect(socket.connected).toBe(true);
  });

  it('reconnects when the server closes the socket (socket.io would not by itself): after a moment, with a renewed token, and reads again', async () => {
    const { socket, fake } = await signedInWithSocket();
    const refreshes = fake.sent('POST', '/api/auth/refresh').length;
    const reads = fake.sent('GET', '/api/me').length;

    socket.serverDisconnects();

    expect(socket.connects).toBe(1); // not at once: a stopping api's clients spread out
    await waitFor(() => expect(socket.connects).toBe(2));
    expect(socket.connected).toBe(true);
    expect(fake.sent('POST', '/api/auth/refresh').length).toBe(refreshes + 1);
    await waitFor(() => expect(fake.sent('GET', '/api/me').length).toBeGreaterThan(reads));
  });

  it('stays away once the session has ended', async () => {
    const { socket } = await signedInWithSocket();
    window.localStorage.removeItem(SIGNED_IN_KEY); // signed out in another tab

    socket.serverDisconnects();
    await new Promise((resolve) => setTimeout(resolve, 1_200));

    expect(socket.connects).toBe(1);
    expect(socket.connected).toBe(false);
  });
});
