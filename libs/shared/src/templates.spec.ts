import { growth, MAX_GROWTH, repeatTo } from '../../../tests/support/linearity';
import {
  parsePlaceholders,
  placeholderTokens,
  renderTemplate,
  renderTemplateSample,
  SAMPLE_VALUES,
  type PlaceholderToken,
} from './templates';

/** What the scanner replaced: the same matches, but cubic on `{{` followed by spaces. */
const LEGACY_PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const legacyTokens = (body: string): PlaceholderToken[] =>
  Array.from(body.matchAll(LEGACY_PLACEHOLDER), (m) => ({
    start: m.index,
    end: m.index + m[0].length,
    name: m[1] ?? '',
  }));

/** The rendering it replaced, verbatim. */
const legacyRender = (
  body: string,
  values: Readonly<Record<string, string>>,
  inputs: Readonly<Record<string, string>>,
) =>
  body.replace(LEGACY_PLACEHOLDER, (whole, name: string) => {
    if (Object.hasOwn(values, name)) return values[name] ?? '';
    if (name.startsWith('input.')) {
      const slot = name.slice('input.'.length);
      return Object.hasOwn(inputs, slot) ? (inputs[slot] ?? '') : '';
    }
    return whole;
  });

const VALUES = { ...SAMPLE_VALUES };

describe('placeholderTokens', () => {
  it.each<[string, [start: number, end: number, name: string][]]>([
    ['', []],
    ['geen plaatshouders', []],
    ['Hoi {{customer.name}}', [[4, 21, 'customer.name']]],
    ['{{ customer.name }}', [[0, 19, 'customer.name']]],
    ['{{\tinput.order\n}}', [[0, 17, 'input.order']]],
    ['{{\u00a0agent.initials\u3000}}', [[0, 20, 'agent.initials']]],
    ['{{ a b }}', [[0, 9, 'a b']]],
    ['{{}}', [[0, 4, '']]],
    ['{{   }}', [[0, 7, '']]],
    [
      '{{a}}{{b}}',
      [
        [0, 5, 'a'],
        [5, 10, 'b'],
      ],
    ],
    // Braces that do not pair up are text; the search goes on after them.
    ['{{{a}}', [[1, 6, 'a']]],
    ['{{{{a}}}}', [[2, 7, 'a']]],
    ['{{a}}}', [[0, 5, 'a']]],
    ['}}{{a}}', [[2, 7, 'a']]],
    ['{{a{{b}}', [[3, 8, 'b']]],
    ['{{a}b}}', []],
    ['{{a{b}}', []],
    ['{ {a}}', []],
    ['{{a} }', []],
    // Unterminated.
    ['{{ a', []],
    ['{{a}', []],
    ['{{', []],
    ['{{ customer.name', []],
    // Unicode names are names (unknown ones, for parsePlaceholders).
    ['{{ émoji 😀 }}', [[0, 14, 'émoji 😀']]],
    ['{{名前}}', [[0, 6, '名前']]],
  ])('%p', (body, expected) => {
    const tokens = [...placeholderTokens(body)];
    expect(tokens).toEqual(expected.map(([start, end, name]) => ({ start, end, name })));
    // The regular expression it replaced finds exactly the same.
    expect(tokens).toEqual(legacyTokens(body));
  });

  it('finds what the regular expression it replaced found, on 5,000 random short texts', () => {
    const alphabet = ['{', '{', '}', '}', ' ', '\t', '\n', '\u00a0', '\u3000', 'a', '.', 'é'];
    const words = ['customer.name', 'input.x', 'input.y', 'onbekend'];
    let seed = 11;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 5_000; i++) {
      const length = Math.floor(random() * 24);
      const body = Array.from({ length }, () =>
        random() < 0.1
          ? words[Math.floor(random() * words.length)]
          : alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
      expect({ body, tokens: [...placeholderTokens(body)] }).toEqual({
        body,
        tokens: legacyTokens(body),
      });
      expect(renderTemplate(body, VALUES, { x: 'X' })).toBe(legacyRender(body, VALUES, { x: 'X' }));
    }
  });
});

describe('parsePlaceholders', () => {
  it.each<[string, string[], string[], string[]]>([
    // [body, known, inputs, unknown]
    ['Hoi {{customer.name}}, ^{{agent.initials}}', ['customer.name', 'agent.initials'], [], []],
    ['{{ input.order }} en {{input.order}} en {{input.datum}}', [], ['order', 'datum'], []],
    ['{{custmer.name}} {{}} {{ input.1x }}', [], [], ['custmer.name', '', 'input.1x']],
    ['{{ {{customer.handle}} }}', ['customer.handle'], [], []],
    ['{{ customer.name', [], [], []],
  ])('%p', (body, known, inputs, unknown) => {
    expect(parsePlaceholders(body)).toEqual({ known, inputs, unknown });
  });
});

describe('renderTemplate', () => {
  it.each<[string, Record<string, string>, string]>([
    ['Hoi {{customer.name}}!', {}, 'Hoi Sanne de Vries!'],
    ['Hoi {{ customer.name }}!', {}, 'Hoi Sanne de Vries!'],
    ['Order {{input.order}}, {{ input.datum }}.', { order: '1042' }, 'Order 1042, .'],
    ['{{onbekend}} blijft', {}, '{{onbekend}} blijft'],
    ['{{{agent.initials}}}', {}, '{AB}'],
    ['{{ agent.initials', {}, '{{ agent.initials'],
    // A value is text: `$&` and `$1` are not replacement patterns.
    ['{{input.a}}', { a: '$& $1 $$' }, '$& $1 $$'],
    ['{{input.toString}}', {}, ''],
  ])('%p with %p', (body, inputs, expected) => {
    expect(renderTemplate(body, VALUES, inputs)).toBe(expected);
  });

  it('renderTemplateSample fills the slots it is given, or those it finds', () => {
    const body = 'Order {{input.order}} voor {{customer.name}}';
    expect(renderTemplateSample(body)).toBe('Order 1042 voor Sanne de Vries');
    expect(renderTemplateSample(body, [])).toBe('Order  voor Sanne de Vries');
  });
});

describe('placeholders in linear time (issue 11)', () => {
  // Shapes that made the old pattern backtrack, and a body full of ordinary placeholders.
  const shapes: [string, (length: number) => string][] = [
    ['{{ and spaces', (n) => repeatTo(' ', n, '{{')],
    ['{{ and spaces, closed by one brace', (n) => repeatTo(' ', n, '{{', '}')],
    ['repeated "{{ "', (n) => repeatTo('{{ ', n)],
    ['repeated "{{ a" without a close', (n) => repeatTo('{{ a', n)],
    ['a run of {', (n) => repeatTo('{', n)],
    ['a run of }', (n) => repeatTo('}', n)],
    ['{{ and a long name without a close', (n) => repeatTo('a', n, '{{')],
    ['{{ and ideographic spaces', (n) => repeatTo('\u3000', n, '{{')],
    ['repeated "{{a}"', (n) => repeatTo('{{a}', n)],
    ['ordinary placeholders', (n) => repeatTo('Hoi {{ customer.name }}, ', n)],
  ];

  it.each(shapes)('%s: parsePlaceholders and renderTemplate', (_shape, shape) => {
    expect(growth(parsePlaceholders, shape)).toBeLessThanOrEqual(MAX_GROWTH);
    expect(growth((body) => renderTemplate(body, VALUES), shape)).toBeLessThanOrEqual(MAX_GROWTH);
  });
});
