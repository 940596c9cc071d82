import type { ChannelProviderDto } from '@toonbank/shared';

/**
 * GET /api/channels/providers as the server answers it (the connectors' configFields).
 * tests/integration/channels.spec.ts checks that the server's answer is exactly this.
 */
export const CHANNEL_PROVIDERS_ANSWER: ChannelProviderDto[] = [
  {
    provider: 'mastodon',
    ingest: 'poll',
    fields: [
      {
        key: 'instanceUrl',
        label: 'Address of the Mastodon server',
        kind: 'url',
        required: true,
        placeholder: 'https://mastodon.social',
      },
      { key: 'accessToken', label: 'Access token', kind: 'secret', required: true },
    ],
  },
  {
    provider: 'bluesky',
    ingest: 'poll',
    fields: [
      {
        key: 'identifier',
        label: 'Handle, DID or e-mail address',
        kind: 'text',
        required: true,
        placeholder: 'naam.bsky.social',
      },
      { key: 'appPassword', label: 'App password', kind: 'secret', required: true },
      {
        key: 'serviceUrl',
        label: 'Address of the server (PDS)',
        kind: 'url',
        required: false,
        placeholder: 'https://bsky.social',
      },
    ],
  },
  {
    provider: 'x',
    ingest: 'poll',
    fields: [
      {
        key: 'userId',
        label: 'User id (digits)',
        kind: 'text',
        required: true,
        placeholder: '1234567890',
      },
      { key: 'clientId', label: 'Client id of the app', kind: 'text', required: true },
      { key: 'accessToken', label: 'Access token', kind: 'secret', required: true },
      { key: 'refreshToken', label: 'Refresh token', kind: 'secret', required: true },
      {
        key: 'apiBaseUrl',
        label: 'Address of the API',
        kind: 'url',
        required: false,
        placeholder: 'https://api.x.com',
      },
    ],
  },
  {
    provider: 'facebook',
    ingest: 'webhook',
    fields: [
      { key: 'pageId', label: 'Page id', kind: 'text', required: true },
      { key: 'pageAccessToken', label: 'Page access token', kind: 'secret', required: true },
      {
        key: 'graphBaseUrl',
        label: 'Address of the Graph API',
        kind: 'url',
        required: false,
        placeholder: 'https://graph.facebook.com/v21.0',
      },
    ],
  },
  {
    provider: 'instagram',
    ingest: 'webhook',
    fields: [
      { key: 'igUserId', label: 'Id of the Instagram account', kind: 'text', required: true },
      { key: 'pageAccessToken', label: 'Page access token', kind: 'secret', required: true },
      {
        key: 'graphBaseUrl',
        label: 'Address of the Graph API',
        kind: 'url',
        required: false,
        placeholder: 'https://graph.facebook.com/v21.0',
      },
    ],
  },
];
