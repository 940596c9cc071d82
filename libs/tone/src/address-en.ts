import type { AddressForm } from '@toonbank/shared';
import type { AddressMarker } from './address';
import { adjacent, matchCase, type Word } from './words';

// English has no u/je: the form shows in register. Only explicit markers count (precision
// over recall), each with the words to use in the other register.
// Informal: u, ur, thx, pls, gonna, wanna, gotta, hey, hiya, cheers, no worries, no probs,
// lol, btw, kinda, dunno, lemme, yeah, yep, nope, mate, y'all, cuz.
// Formal: Dear (opening a line), Kind regards, Yours sincerely/faithfully, please be advised,
// apologise for any inconvenience, do not hesitate, we regret to inform, please find
// attached, hereby, herewith, kindly, further to your.
// Neutral (never judged): hi, hello, thanks, sorry, best, you.

interface EnglishMarker {
  words: string[];
  form: AddressForm;
  suggestion: string;
  /** Only as the first word on its line (a salutation). */
  lineStart?: boolean;
}

const EN_MARKERS: readonly EnglishMarker[] = [
  ...(
    [
      ['u', 'you'],
      ['ur', 'your'],
      ['thx', 'thank you'],
      ['thnx', 'thank you'],
      ['tnx', 'thank you'],
      ['pls', 'please'],
      ['plz', 'please'],
      ['gonna', 'going to'],
      ['wanna', 'want to'],
      ['gotta', 'have to'],
      ['hey', 'Hello'],
      ['heya', 'Hello'],
      ['hiya', 'Hello'],
      ['cheers', 'Thank you'],
      ['no worries', "you're welcome"],
      ['no probs', "you're welcome"],
      ['no prob', "you're welcome"],
      ['lol', ''],
      ['btw', 'by the way'],
      ['kinda', 'somewhat'],
      ['dunno', "don't know"],
      ['lemme', 'let me'],
      ['gimme', 'give me'],
      ['yeah', 'yes'],
      ['yep', 'yes'],
      ['yup', 'yes'],
      ['nope', 'no'],
      ['mate', ''],
      ["y'all", 'you'],
      ['cuz', 'because'],
      ['coz', 'because'],
    ] as const
  ).map(([w, s]): EnglishMarker => ({ words: w.split(' '), form: 'informal', suggestion: s })),
  ...(
    [
      ['dear', 'Hi', true],
      ['kind regards', 'Thanks'],
      ['yours sincerely', 'Thanks'],
      ['yours faithfully', 'Thanks'],
      ['please be advised', 'just so you know'],
      ['apologise for any inconvenience', "we're sorry for the trouble"],
      ['apologize for any inconvenience', "we're sorry for the trouble"],
      ['apologies for any inconvenience', 'sorry for the trouble'],
      ['do not hesitate', 'feel free'],
      ['we regret to inform', "we're sorry to tell"],
      ['please find attached', "here's"],
      ['please find enclosed', "here's"],
      ['hereby', ''],
      ['herewith', ''],
      ['kindly', 'please'],
      ['further to your', 'following up on your'],
    ] as const
  ).map(([w, s, line]): EnglishMarker => ({
    words: w.split(' '),
    form: 'formal',
    suggestion: s,
    lineStart: line === true,
  })),
];
const EN_BY_FIRST = new Map<string, EnglishMarker[]>();
for (const m of EN_MARKERS) {
  EN_BY_FIRST.set(m.words[0], [...(EN_BY_FIRST.get(m.words[0]) ?? []), m]);
}

/** English register markers among `words` (already stripped of quotes, initials, sign-off). */
export function englishMarkers(text: string, words: readonly Word[]): AddressMarker[] {
  const markers: AddressMarker[] = [];
  for (let i = 0; i < words.length; i++) {
    const candidates = EN_BY_FIRST.get(words[i].lower);
    const found = candidates?.find(
      (m) =>
        m.words.every(
          (part, k) =>
            words[i + k]?.lower === part &&
            (k === 0 || adjacent(text, words[i + k - 1], words[i + k])),
        ) &&
        (!m.lineStart || opensLine(text, words[i].start)),
    );
    if (!found) continue;
    const last = words[i + found.words.length - 1];
    markers.push({
      form: found.form,
      start: words[i].start,
      end: last.end,
      text: text.slice(words[i].start, last.end),
      suggestion: found.suggestion ? matchCase(found.suggestion, words[i].text) : undefined,
    });
    i += found.words.length - 1;
  }
  return markers;
}

const isSpace = (c: string) => /\s/.test(c);

/**
 * Only whitespace and @handles before this offset on its line. Read backwards and stopped at
 * the first word that is not a handle, so that a line of many salutations stays linear (a
 * search for the line's start from each of them would not be).
 */
export function opensLine(text: string, offset: number): boolean {
  let i = offset;
  while (i > 0) {
    const c = text[i - 1];
    if (c === '\n') return true;
    if (isSpace(c)) {
      i--;
      continue;
    }
    // A chunk of non-space characters: a handle (or handles, @a@b) when it starts with @.
    while (i > 0 && !isSpace(text[i - 1])) i--;
    if (text[i] !== '@') return false;
  }
  return true;
}
