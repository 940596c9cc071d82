import { ToneProfileEntity } from '@toonbank/database';
import type { ToneProfileDto } from '@toonbank/shared';
import {
  DEFAULT_TONE_PROFILE,
  presentToneProfile,
  toneProfileColumns,
} from './tone-profile.presenter';

const ORG = '0b7e1a52-2f4d-4c67-9d0a-6a1b2c3d4e5f';

const PROFILES: [string, ToneProfileDto][] = [
  ['the default', DEFAULT_TONE_PROFILE],
  [
    'informal English with per-channel address, phrases and emoji',
    {
      language: 'en',
      addressForm: {
        default: 'informal',
        perChannel: { x: 'formal', bluesky: 'informal' },
        mirrorCustomer: true,
      },
      forbiddenPhrases: [
        { phrase: 'unfortunately', suggestion: 'we are sorry' },
        { phrase: 'asap', suggestion: 'as soon as we can' },
      ],
      signoff: { required: false, pattern: '~{{initials}}' },
      emojiAllowed: true,
    } as ToneProfileDto,
  ],
];

const rowOf = (columns: Omit<ToneProfileEntity, 'updatedAt'>): ToneProfileEntity =>
  Object.assign(new ToneProfileEntity(), columns, { updatedAt: new Date() });

describe('tone profiles: presented and stored', () => {
  it('an organisation that never set one gets the default: formal Dutch, ^AB, no emoji', () => {
    expect(presentToneProfile(null)).toEqual(DEFAULT_TONE_PROFILE);
    expect(DEFAULT_TONE_PROFILE).toMatchObject({
      language: 'nl',
      addressForm: { default: 'formal' },
      signoff: { required: true },
      emojiAllowed: false,
    });
  });

  it('the default is a copy each time: changing one answer changes no other', () => {
    const first = presentToneProfile(null);
    first.addressForm.perChannel.x = 'informal';
    first.forbiddenPhrases.push({ phrase: 'x', suggestion: 'y' });
    expect(presentToneProfile(null)).toEqual(DEFAULT_TONE_PROFILE);
    expect(DEFAULT_TONE_PROFILE.forbiddenPhrases).toEqual([]);
  });

  it.each(PROFILES)('%s: stored columns present the same profile', (_, profile) => {
    const columns = toneProfileColumns(ORG, profile);
    expect(columns.organisationId).toBe(ORG);
    expect(presentToneProfile(rowOf(columns))).toEqual(profile);
  });

  it.each(PROFILES)('%s: the columns it is stored in', (_, profile) => {
    expect(toneProfileColumns(ORG, profile)).toEqual({
      organisationId: ORG,
      language: profile.language,
      addressDefault: profile.addressForm.default,
      addressPerChannel: profile.addressForm.perChannel,
      mirrorCustomer: profile.addressForm.mirrorCustomer,
      forbiddenPhrases: profile.forbiddenPhrases,
      signoffRequired: profile.signoff.required,
      signoffPattern: profile.signoff.pattern,
      emojiAllowed: profile.emojiAllowed,
    });
  });

  it('presents only a phrase and its suggestion of what is stored', () => {
    const row = rowOf(toneProfileColumns(ORG, DEFAULT_TONE_PROFILE));
    row.forbiddenPhrases = [
      { phrase: 'helaas', suggestion: 'het spijt ons', extra: 'kept out' } as never,
    ];
    expect(presentToneProfile(row).forbiddenPhrases).toEqual([
      { phrase: 'helaas', suggestion: 'het spijt ons' },
    ]);
  });
});
