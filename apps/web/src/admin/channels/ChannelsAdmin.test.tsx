import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import type { ChannelDto } from '@toonbank/shared';
import { I18nextProvider } from 'react-i18next';
import { ApiProvider } from '../../api/ApiContext';
import { ApiClient } from '../../api/client';
import { createQueryClient } from '../../api/queries';
import { createI18n } from '../../i18n';
import { CHANNEL_PROVIDERS_ANSWER } from '../../test/channelProviders';
import {
  conflictResponse,
  createFakeApi,
  deferred,
  errorResponse,
  type FakeApi,
} from '../../test/fakeApi';
import { ADMIN, LEAD } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';
import { ChannelsAdmin } from './ChannelsAdmin';

const makeChannel = (overrides: Partial<ChannelDto>): ChannelDto => ({
  id: '00000000-0000-4000-8000-00000000e001',
  provider: 'mastodon',
  name: 'Mastodon webcare',
  handle: '@demo@social.example',
  status: 'active',
  lastError: null,
  lastPolledAt: '2026-11-26T09:00:00.000Z',
  pollIntervalSeconds: 60,
  config: { instanceUrl: 'https://social.example' },
  ingest: 'poll',
  throttledUntil: null,
  createdAt: '2026-11-01T00:00:00.000Z',
  ...overrides,
});

const MASTODON = makeChannel({});
const BLUESKY = makeChannel({
  id: '00000000-0000-4000-8000-00000000e002',
  provider: 'bluesky',
  name: 'Bluesky',
  handle: '@demo-energie.bsky.social',
  status: 'degraded',
  lastError: 'Invalid identifier or password',
  throttledUntil: '2026-11-26T10:00:00.000Z',
  pollIntervalSeconds: 120,
});
const FACEBOOK = makeChannel({
  id: '00000000-0000-4000-8000-00000000e003',
  provider: 'facebook',
  name: 'Facebookpagina',
  handle: null,
  status: 'paused',
  lastPolledAt: null,
  ingest: 'webhook',
});

const TOKEN = 'geheim-token-123';

function openChannels(channels: ChannelDto[] = [MASTODON, BLUESKY, FACEBOOK]) {
  const fake = createFakeApi({ users: [ADMIN] });
  const list = channels.map((c) => ({ ...c }));
  fake.override('GET /api/channels', () => ({
    status: 200,
    body: { items: list, nextCursor: null },
  }));
  fake.rememberSession(ADMIN.email);
  return { fake, list, ...renderApp(fake, { route: '/admin?section=channels' }) };
}

const section = () => screen.findByRole('region', { name: /^Kanalen/ });
const row = async (name: string) =>
  within(await section()).findByRole('row', { name: new RegExp(name) });

const openForm = async (user: ReturnType<typeof openChannels>['user']) => {
  await user.click(await within(await section()).findByRole('button', { name: 'Kanaal koppelen' }));
  return screen.getByRole('form', { name: 'Een kanaal koppelen' });
};

/** POST /api/channels answered by `answer`; the bodies sent. */
function onConnect(
  fake: FakeApi,
  answer: (body: Record<string, unknown>) => { status: number; body?: unknown },
) {
  const bodies: Record<string, unknown>[] = [];
  fake.override('POST /api/channels', (request) => {
    bodies.push(request.body as Record<string, unknown>);
    return answer(request.body as Record<string, unknown>);
  });
  return bodies;
}

describe('Channels admin', () => {
  it('lists the channels with provider, status, last error, throttling, interval and ingest', async () => {
    openChannels();
    const table = await within(await section()).findByRole('table');
    const headers = within(table).getAllByRole('columnheader');
    expect(headers.map((h) => h.textContent)).toEqual([
      'Kanaal',
      'Account',
      'Status',
      'Laatst opgehaald',
      'Interval',
      'Berichten via',
      'Acties',
    ]);
    for (const header of headers) expect(header).toHaveAttribute('scope', 'col');

    const mastodon = await row('Mastodon webcare');
    expect(within(mastodon).getByRole('img', { name: 'Mastodon' })).toBeInTheDocument();
    expect(mastodon).toHaveTextContent('@demo@social.example');
    expect(mastodon).toHaveTextContent('actief');
    expect(mastodon).toHaveTextContent('elke 60 seconden');
    expect(mastodon).toHaveTextContent('ophalen');

    const bluesky = await row('Bluesky');
    expect(bluesky).toHaveTextContent('verstoord');
    expect(bluesky).toHaveTextContent('Laatste fout: Invalid identifier or password');
    expect(bluesky).toHaveTextContent('Het kanaal remt ons af tot');

    const facebook = await row('Facebookpagina');
    expect(facebook).toHaveTextContent('gepauzeerd');
    expect(facebook).toHaveTextContent('nog niet');
    expect(facebook).toHaveTextContent('webhook');
    // A webhook channel is not polled.
    expect(within(facebook).queryByRole('button', { name: /Nu ophalen/ })).toBeNull();
    expect(
      within(facebook).getByRole('button', { name: 'Hervatten: Facebookpagina' }),
    ).toBeEnabled();
  });

  it('polls now and shows what was fetched and stored', async () => {
    const { fake, user } = openChannels();
    const done = deferred();
    fake.override(`POST /api/channels/${MASTODON.id}/poll`, async () => {
      await done.promise;
      return { status: 200, body: { fetched: 7, stored: 3 } };
    });
    await user.click(
      await within(await section()).findByRole('button', { name: 'Nu ophalen: Mastodon webcare' }),
    );
    expect(
      within(await section()).getByRole('button', { name: 'Nu ophalen: Mastodon webcare' }),
    ).toBeDisabled();
    done.resolve();
    expect(
      await within(await section()).findByText(
        'Mastodon webcare: 7 opgehaald, 3 nieuw opgeslagen.',
      ),
    ).toHaveAttribute('role', 'status');
  });

  it('a poll refused with 409 says why in its own words', async () => {
    const { fake, user } = openChannels();
    fake.override(`POST /api/channels/${MASTODON.id}/poll`, () =>
      conflictResponse('The channel is paused.', 'channel_paused'),
    );
    await user.click(
      await within(await section()).findByRole('button', { name: 'Nu ophalen: Mastodon webcare' }),
    );
    expect(
      await within(await section()).findByText(
        'Niet opgehaald: dit kanaal staat op pauze, of het stuurt zijn berichten zelf (webhook). Er is niets veranderd.',
      ),
    ).toHaveAttribute('role', 'alert');
  });

  it('a conflict the server gives no reason for keeps the generic words', async () => {
    const { fake, user } = openChannels();
    fake.override(`POST /api/channels/${MASTODON.id}/poll`, () =>
      conflictResponse('The data changed meanwhile; try again.'),
    );
    await user.click(
      await within(await section()).findByRole('button', { name: 'Nu ophalen: Mastodon webcare' }),
    );
    const alert = await within(await section()).findByRole('alert');
    expect(alert).toHaveTextContent(
      'Niet gelukt: dit is intussen veranderd, misschien door een collega. Er is niets gewijzigd; je ziet nu de actuele stand.',
    );
    expect(alert).not.toHaveTextContent('pauze');
  });

  it('says that a poll goes on when the server answers 202, and reloads the list at its channel.updated', async () => {
    const { fake, list, socket, user } = openChannels();
    fake.override(`POST /api/channels/${MASTODON.id}/poll`, () => ({
      status: 202,
      body: { jobId: '42' },
    }));
    await user.click(
      await within(await section()).findByRole('button', { name: 'Nu ophalen: Mastodon webcare' }),
    );
    expect(
      await within(await section()).findByText(
        'Mastodon webcare: het ophalen duurt even en gaat door; de lijst wordt bijgewerkt zodra het klaar is.',
      ),
    ).toHaveAttribute('role', 'status');

    list[0] = { ...list[0], status: 'degraded', lastError: 'De instantie antwoordt niet' };
    socket.serverSends('channel.updated', {
      ...list[0],
      poll: { jobId: '42', error: 'The poll failed.' },
    });
    expect(
      await within(await row('Mastodon webcare')).findByText(/De instantie antwoordt niet/),
    ).toBeInTheDocument();
  });

  it('pauses with status paused and resumes with status active', async () => {
    const { fake, list, user } = openChannels();
    const bodies: unknown[] = [];
    for (const channel of list) {
      fake.override(`PATCH /api/channels/${channel.id}`, (request) => {
        bodies.push(request.body);
        Object.assign(channel, request.body);
        return { status: 200, body: channel };
      });
    }
    await user.click(
      await within(await section()).findByRole('button', { name: 'Pauzeren: Mastodon webcare' }),
    );
    await waitFor(() => expect(bodies).toEqual([{ status: 'paused' }]));
    expect(await row('Mastodon webcare')).toHaveTextContent('gepauzeerd');

    await user.click(
      await within(await section()).findByRole('button', { name: 'Hervatten: Facebookpagina' }),
    );
    await waitFor(() => expect(bodies).toEqual([{ status: 'paused' }, { status: 'active' }]));
  });

  it('asks before removing a channel and says the conversations are kept', async () => {
    const { fake, list, user } = openChannels();
    fake.override(`DELETE /api/channels/${BLUESKY.id}`, () => {
      list.splice(
        list.findIndex((c) => c.id === BLUESKY.id),
        1,
      );
      return { status: 200, body: {} };
    });
    const channels = await section();
    await user.click(await within(channels).findByRole('button', { name: 'Verwijderen: Bluesky' }));
    let dialog = screen.getByRole('dialog', { name: 'Bluesky verwijderen?' });
    expect(dialog).toHaveTextContent('blijven bewaard');
    await user.click(within(dialog).getByRole('button', { name: 'Annuleren' }));
    expect(fake.sent('DELETE', `/api/channels/${BLUESKY.id}`)).toHaveLength(0);

    await user.click(within(channels).getByRole('button', { name: 'Verwijderen: Bluesky' }));
    dialog = screen.getByRole('dialog', { name: 'Bluesky verwijderen?' });
    await user.click(within(dialog).getByRole('button', { name: 'Verwijderen' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(fake.sent('DELETE', `/api/channels/${BLUESKY.id}`)).toHaveLength(1);
    await waitFor(() =>
      expect(within(channels).queryByRole('row', { name: /Bluesky/ })).not.toBeInTheDocument(),
    );
  });

  it('shows team leads the channels without actions or the connect form', async () => {
    // The admin page is for admins; the section itself also serves a team lead (channel.read).
    const fake = createFakeApi({ users: [LEAD] });
    fake.override('GET /api/channels', () => ({
      status: 200,
      body: { items: [MASTODON], nextCursor: null },
    }));
    fake.rememberSession(LEAD.email);
    render(
      <I18nextProvider i18n={createI18n(null)}>
        <QueryClientProvider client={createQueryClient()}>
          <ApiProvider client={new ApiClient({ storage: window.localStorage, fetch: fake.fetch })}>
            <ChannelsAdmin />
          </ApiProvider>
        </QueryClientProvider>
      </I18nextProvider>,
    );
    const channels = await section();
    expect(
      await within(channels).findByRole('row', { name: /Mastodon webcare/ }),
    ).toBeInTheDocument();
    expect(within(channels).getAllByRole('columnheader')).toHaveLength(6);
    expect(within(channels).queryByRole('button')).toBeNull();
    expect(channels).toHaveTextContent('Alleen een beheerder kan kanalen koppelen');
  });

  describe('connecting a channel', () => {
    it('sends mastodon as { provider, name, config: { instanceUrl, accessToken } } and clears the token', async () => {
      const { fake, list, user } = openChannels([]);
      expect(
        await within(await section()).findByText('Er is nog geen kanaal gekoppeld.'),
      ).toBeInTheDocument();
      const bodies = onConnect(fake, (body) => {
        const created = makeChannel({
          id: '00000000-0000-4000-8000-00000000e0ff',
          name: body.name as string,
        });
        list.push(created);
        return { status: 201, body: created };
      });
      const form = await openForm(user);
      expect(within(form).getByLabelText('Kanaal')).toHaveValue('mastodon');
      await user.type(within(form).getByLabelText('Naam'), 'Mastodon webcare');
      await user.type(
        within(form).getByLabelText('Adres van de Mastodon-server'),
        'https://social.example',
      );
      const token = within(form).getByLabelText('Toegangstoken');
      expect(token).toHaveAttribute('type', 'password');
      expect(token).toHaveAttribute('autocomplete', 'off');
      await user.type(token, TOKEN);
      await user.click(within(form).getByRole('button', { name: 'Koppelen' }));

      await waitFor(() => expect(bodies).toHaveLength(1));
      expect(bodies[0]).toEqual({
        provider: 'mastodon',
        name: 'Mastodon webcare',
        config: { instanceUrl: 'https://social.example', accessToken: TOKEN },
      });
      expect(await screen.findByText('Mastodon webcare is gekoppeld.')).toBeInTheDocument();
      expect(within(form).getByLabelText('Toegangstoken')).toHaveValue('');
      expect(within(form).getByLabelText('Naam')).toHaveValue('');
      expect(await row('Mastodon webcare')).toBeInTheDocument();
      expect(document.body).not.toHaveTextContent(TOKEN);
    });

    it('shows refused credentials (422) clearly, keeps the address and clears the secret', async () => {
      const { fake, queryClient, user } = openChannels();
      onConnect(fake, () =>
        errorResponse(
          422,
          'channel.credentials_invalid',
          'The channel refused the credentials: 401',
        ),
      );
      const form = await openForm(user);
      await user.type(within(form).getByLabelText('Naam'), 'Mastodon webcare');
      await user.type(
        within(form).getByLabelText('Adres van de Mastodon-server'),
        'https://social.example',
      );
      await user.type(within(form).getByLabelText('Toegangstoken'), TOKEN);
      await user.click(within(form).getByRole('button', { name: 'Koppelen' }));

      expect(await within(form).findByRole('alert')).toHaveTextContent(
        'Het kanaal heeft deze inloggegevens geweigerd.',
      );
      expect(within(form).getByLabelText('Toegangstoken')).toHaveValue('');
      expect(within(form).getByLabelText('Adres van de Mastodon-server')).toHaveValue(
        'https://social.example',
      );
      expect(document.body).not.toHaveTextContent(TOKEN);
      // Nor does the mutation remember it in its variables.
      const remembered = queryClient
        .getMutationCache()
        .getAll()
        .map((m) => m.state.variables);
      expect(remembered).toHaveLength(1);
      expect(JSON.stringify(remembered)).not.toContain(TOKEN);
    });

    it('lists the config fields a 400 names, with the server’s words', async () => {
      const { fake, user } = openChannels();
      onConnect(fake, () => ({
        status: 400,
        body: {
          statusCode: 400,
          code: 'validation.failed',
          message: 'Invalid channel configuration: instanceUrl: must use https',
          details: { fields: ['config'], errors: { config: ['instanceUrl: must use https'] } },
        },
      }));
      const form = await openForm(user);
      await user.type(within(form).getByLabelText('Naam'), 'Mastodon webcare');
      await user.type(
        within(form).getByLabelText('Adres van de Mastodon-server'),
        'http://social.example',
      );
      await user.type(within(form).getByLabelText('Toegangstoken'), TOKEN);
      await user.click(within(form).getByRole('button', { name: 'Koppelen' }));

      const alert = await within(form).findByRole('alert');
      expect(alert).toHaveTextContent('De invoer is niet geldig.');
      expect(within(alert).getByRole('listitem')).toHaveTextContent(
        'Adres van de Mastodon-server: must use https',
      );
      expect(within(form).getByLabelText('Adres van de Mastodon-server')).toHaveAttribute(
        'aria-invalid',
        'true',
      );
    });

    it('shows each provider’s own fields, secrets as password inputs', async () => {
      const { user } = openChannels();
      const form = await openForm(user);
      await user.selectOptions(within(form).getByLabelText('Kanaal'), 'X');
      for (const name of ['Toegangstoken', 'Vernieuwingstoken']) {
        const input = within(form).getByLabelText(name);
        expect(input).toHaveAttribute('type', 'password');
        expect(input).toHaveAttribute('autocomplete', 'off');
      }
      expect(within(form).getByLabelText('Gebruikers-id (cijfers)')).toBeRequired();
      expect(within(form).getByLabelText('Client-id van de app')).toBeRequired();
      expect(within(form).getByLabelText('Adres van de API (optioneel)')).not.toBeRequired();

      await user.selectOptions(within(form).getByLabelText('Kanaal'), 'Instagram');
      expect(within(form).getByLabelText('Id van het Instagram-account')).toBeInTheDocument();
      expect(within(form).getByLabelText('Toegangstoken van de pagina')).toHaveAttribute(
        'type',
        'password',
      );
      // Pushed by the webhook: no poll interval to choose.
      expect(within(form).queryByLabelText('Ophaalinterval in seconden')).toBeNull();
      expect(within(form).queryByLabelText('Toegangstoken')).toBeNull();
    });

    it('leaves blank optional fields out and sends the poll interval when given', async () => {
      const { fake, user } = openChannels();
      const bodies = onConnect(fake, (body) => ({
        status: 201,
        body: makeChannel({ provider: 'bluesky', name: body.name as string }),
      }));
      const form = await openForm(user);
      await user.selectOptions(within(form).getByLabelText('Kanaal'), 'Bluesky');
      await user.type(within(form).getByLabelText('Naam'), ' Bluesky ');
      await user.type(within(form).getByLabelText('Ophaalinterval in seconden'), '120');
      await user.type(
        within(form).getByLabelText('Handle, DID of e-mailadres'),
        'demo.bsky.social',
      );
      await user.type(within(form).getByLabelText('App-wachtwoord'), 'abcd-efgh-ijkl-mnop');
      await user.click(within(form).getByRole('button', { name: 'Koppelen' }));
      await waitFor(() =>
        expect(bodies).toEqual([
          {
            provider: 'bluesky',
            name: 'Bluesky',
            pollIntervalSeconds: 120,
            config: { identifier: 'demo.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' },
          },
        ]),
      );
    });

    it('asks for the fields the server describes, with the server’s label for a key it has no words for', async () => {
      const { fake, user } = openChannels();
      const [mastodon, ...others] = CHANNEL_PROVIDERS_ANSWER;
      fake.override('GET /api/channels/providers', () => ({
        status: 200,
        body: {
          items: [
            {
              ...mastodon!,
              fields: [
                ...mastodon!.fields,
                { key: 'region', label: 'Region of the instance', kind: 'text', required: true },
              ],
            },
            ...others,
          ],
          nextCursor: null,
        },
      }));
      const bodies = onConnect(fake, (body) => ({
        status: 201,
        body: makeChannel({ name: body.name as string }),
      }));
      const form = await openForm(user);
      await user.type(within(form).getByLabelText('Naam'), 'Mastodon webcare');
      await user.type(
        within(form).getByLabelText('Adres van de Mastodon-server'),
        'https://social.example',
      );
      await user.type(within(form).getByLabelText('Toegangstoken'), TOKEN);
      await user.click(within(form).getByRole('button', { name: 'Koppelen' }));
      expect(within(within(form).getByRole('alert')).getByRole('listitem')).toHaveTextContent(
        'Region of the instance',
      );
      expect(fake.sent('POST', '/api/channels')).toHaveLength(0);

      await user.type(within(form).getByLabelText('Region of the instance'), 'eu');
      await user.click(within(form).getByRole('button', { name: 'Koppelen' }));
      await waitFor(() =>
        expect(bodies).toEqual([
          {
            provider: 'mastodon',
            name: 'Mastodon webcare',
            config: { instanceUrl: 'https://social.example', accessToken: TOKEN, region: 'eu' },
          },
        ]),
      );
    });

    it('names blank required fields without asking the server', async () => {
      const { fake, user } = openChannels();
      const form = await openForm(user);
      await user.type(within(form).getByLabelText('Naam'), 'Mastodon webcare');
      await user.click(within(form).getByRole('button', { name: 'Koppelen' }));
      const alert = within(form).getByRole('alert');
      expect(
        within(alert)
          .getAllByRole('listitem')
          .map((li) => li.textContent),
      ).toEqual(['Adres van de Mastodon-server', 'Toegangstoken']);
      expect(fake.sent('POST', '/api/channels')).toHaveLength(0);
    });
  });
});
