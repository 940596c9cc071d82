import { isFromCustomer } from './reply-target';

describe('isFromCustomer', () => {
  const conversation = { customerExternalId: 'did:plc:ana', customerHandle: '@ana.bsky.social' };

  it.each([
    [
      'the customer, by channel id',
      { authorExternalId: 'did:plc:ana', authorHandle: '@ana.bsky.social' },
      true,
    ],
    [
      'the customer under a new handle',
      { authorExternalId: 'did:plc:ana', authorHandle: '@ana.example' },
      true,
    ],
    [
      'another participant',
      { authorExternalId: 'did:plc:bram', authorHandle: '@bram.bsky.social' },
      false,
    ],
    [
      'another participant who took the customer’s old handle',
      { authorExternalId: 'did:plc:bram', authorHandle: '@ana.bsky.social' },
      false,
    ],
    [
      'no channel id, the customer’s handle',
      { authorExternalId: null, authorHandle: '@ana.bsky.social' },
      true,
    ],
    [
      'no channel id, another handle',
      { authorExternalId: null, authorHandle: '@bram.bsky.social' },
      false,
    ],
    ['nothing known', { authorExternalId: null, authorHandle: null }, false],
  ])('%s → %s', (_name, author, expected) => {
    expect(isFromCustomer(author, conversation)).toBe(expected);
  });
});
