import { growth, MAX_GROWTH, repeatTo } from '../../../tests/support/linearity';
import { ownMentionForms, withoutOwnMentions } from './own-mentions';

const MASTODON = '@webcare@energie.example';

describe('ownMentionForms', () => {
  it.each<[string[], string[]]>([
    [[MASTODON], ['@webcare@energie.example', '@webcare']],
    [['@Energie'], ['@energie']],
    [['@webcare.bsky.social'], ['@webcare.bsky.social']],
    [['Energie Direct'], []],
    [['@'], []],
    [['', '  @x  '], ['@x']],
  ])('%p → %p', (handles, forms) => {
    expect([...ownMentionForms(handles)]).toEqual(forms);
  });
});

describe('withoutOwnMentions', () => {
  it.each<[string, string[], string]>([
    // [text, our handles, preview]
    [`${MASTODON} Mijn stroom is uitgevallen`, [MASTODON], 'Mijn stroom is uitgevallen'],
    ['@webcare Mijn stroom is uitgevallen', [MASTODON], 'Mijn stroom is uitgevallen'],
    ['@WebCare@Energie.Example Hallo', [MASTODON], 'Hallo'],
    [`  ${MASTODON}\n\nHallo`, [MASTODON], 'Hallo'],
    [`${MASTODON} @webcare Hallo`, [MASTODON], 'Hallo'],
    [`${MASTODON}, kunt u helpen?`, [MASTODON], 'kunt u helpen?'],
    [`${MASTODON}: storing`, [MASTODON], 'storing'],
    ['@webcare. Mijn stroom', [MASTODON], 'Mijn stroom'],
    // Someone else's mention ends it: the rest is the customer's text, as written.
    [`${MASTODON} @buurman@klant.example kijk`, [MASTODON], '@buurman@klant.example kijk'],
    [
      `@buurman@klant.example ${MASTODON} kijk`,
      [MASTODON],
      `@buurman@klant.example ${MASTODON} kijk`,
    ],
    ['@webcare@andere.example Hallo', [MASTODON], '@webcare@andere.example Hallo'],
    ['@webcarex Hallo', [MASTODON], '@webcarex Hallo'],
    ["@webcare's app doet het niet", [MASTODON], "@webcare's app doet het niet"],
    ['@webcare! Help', [MASTODON], '@webcare! Help'],
    // Only at the start: a mention of ours later in the text stays.
    [`Hallo ${MASTODON} help`, [MASTODON], `Hallo ${MASTODON} help`],
    [`Mijn stroom ${MASTODON}`, [MASTODON], `Mijn stroom ${MASTODON}`],
    // Nothing but our mention: kept, an empty preview says less.
    [MASTODON, [MASTODON], MASTODON],
    [`${MASTODON}   `, [MASTODON], `${MASTODON}   `],
    // Other channels' handles.
    ['@energie @energie_help storing?', ['@energie', '@energie_help'], 'storing?'],
    ['@Energie storing?', ['@energie'], 'storing?'],
    ['@webcare.bsky.social is er een storing?', ['@webcare.bsky.social'], 'is er een storing?'],
    ['@webcare is er een storing?', ['@webcare.bsky.social'], '@webcare is er een storing?'],
    // A page's name is no mention.
    ['Energie Direct storing?', ['Energie Direct'], 'Energie Direct storing?'],
    ['@ Hallo', [MASTODON], '@ Hallo'],
    ['', [MASTODON], ''],
    ['Hallo', [], 'Hallo'],
  ])('%p with %p → %p', (text, handles, preview) => {
    expect(withoutOwnMentions(text, handles)).toBe(preview);
  });
});

describe('withoutOwnMentions in linear time', () => {
  const strip = (text: string) => withoutOwnMentions(text, [MASTODON, '@energie']);
  it.each<[string, (length: number) => string]>([
    ['our mention over and over', (n) => repeatTo(`${MASTODON} `, n)],
    ['our short mention over and over', (n) => repeatTo('@webcare ', n)],
    ['a handle that never ends', (n) => repeatTo('a', n, '@')],
    ['a handle of dots', (n) => repeatTo('.', n, '@webcare')],
    ['a run of @', (n) => repeatTo('@', n)],
    ['white space without end', (n) => repeatTo(' \n\t', n, '@energie')],
    ['mentions with commas', (n) => repeatTo('@energie, ', n)],
    ['our mentions, then a long text', (n) => repeatTo('x', n, '@energie @webcare ')],
  ])('%s', (_shape, shape) => {
    expect(growth(strip, shape)).toBeLessThanOrEqual(MAX_GROWTH);
  });
});
