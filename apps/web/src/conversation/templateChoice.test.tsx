import type { TemplateDto } from '@toonbank/shared';
import { growth, MAX_GROWTH, repeatTo } from '../../../../tests/support/linearity';
import { TEMPLATE } from '../test/inboxFakes';
import { offeredTemplates, searchTemplates, TEMPLATE_SEARCH_MAX } from './templateChoice';

const template = (name: string, overrides: Partial<TemplateDto> = {}): TemplateDto => ({
  ...TEMPLATE,
  id: name,
  name,
  ...overrides,
});

const ALL = template('Voor alle kanalen', { body: 'Dank voor uw bericht. ^{{agent.initials}}' });
const X_ONLY = template('Alleen X', { providers: ['x'], toneOk: { x: true } });
const BAD_ON_MASTODON = template('Te lang voor Mastodon', {
  toneOk: { mastodon: false, bluesky: true, x: true, facebook: true, instagram: true },
});
const UNJUDGED = template('Nog niet beoordeeld', { toneOk: {} });
const TEMPLATES = [ALL, X_ONLY, BAD_ON_MASTODON, UNJUDGED];

describe('offeredTemplates', () => {
  it.each<[string, 'mastodon' | 'x', boolean, [string, boolean][], number]>([
    [
      'free writers see every template for the channel, the failing one marked',
      'mastodon',
      false,
      [
        ['Voor alle kanalen', true],
        ['Te lang voor Mastodon', false],
        ['Nog niet beoordeeld', true],
      ],
      0,
    ],
    [
      'people who must use templates are not offered the failing one',
      'mastodon',
      true,
      [
        ['Voor alle kanalen', true],
        ['Nog niet beoordeeld', true],
      ],
      1,
    ],
    [
      'on X the same template passes, and the X-only one is offered',
      'x',
      true,
      [
        ['Voor alle kanalen', true],
        ['Alleen X', true],
        ['Te lang voor Mastodon', true],
        ['Nog niet beoordeeld', true],
      ],
      0,
    ],
  ])('%s', (_case, provider, templateOnly, expected, hidden) => {
    const offered = offeredTemplates(TEMPLATES, provider, templateOnly);
    expect(offered.options.map((o) => [o.template.name, o.toneOk])).toEqual(expected);
    expect(offered.hidden).toBe(hidden);
  });
});

describe('searchTemplates', () => {
  const options = offeredTemplates(TEMPLATES, 'x', false).options;
  it.each<[string, string[]]>([
    ['', ['Voor alle kanalen', 'Alleen X', 'Te lang voor Mastodon', 'Nog niet beoordeeld']],
    ['  ', ['Voor alle kanalen', 'Alleen X', 'Te lang voor Mastodon', 'Nog niet beoordeeld']],
    ['mastodon', ['Te lang voor Mastodon']],
    ['MASTÓDON', ['Te lang voor Mastodon']], // case and accents fold
    ['dank', ['Voor alle kanalen']], // the text counts too
    ['factuur', ['Alleen X', 'Te lang voor Mastodon', 'Nog niet beoordeeld']], // text only
    ['lang factuur', ['Te lang voor Mastodon']], // every word, in the name or the text
    ['voor', ['Voor alle kanalen', 'Te lang voor Mastodon', 'Alleen X', 'Nog niet beoordeeld']], // names first
    ['geen', []],
  ])('%j → %j', (search, names) => {
    expect(searchTemplates(options, search).map((o) => o.template.name)).toEqual(names);
  });

  it('runs in linear time in the templates’ text, whatever is searched', () => {
    const search = `${'a'.repeat(TEMPLATE_SEARCH_MAX - 1)}b`;
    const options = (text: string) => [{ template: template(text, { body: text }), toneOk: true }];
    expect(
      growth(
        (text) => searchTemplates(options(text), search),
        (n) => repeatTo('a', n),
      ),
    ).toBeLessThanOrEqual(MAX_GROWTH);
    expect(
      growth(
        (text) => searchTemplates(options('a'), text),
        (n) => repeatTo('a ', n),
      ),
    ).toBeLessThanOrEqual(MAX_GROWTH);
  });
});
