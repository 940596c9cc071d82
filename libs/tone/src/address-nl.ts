import type { AddressForm } from '@toonbank/shared';
import type { AddressMarker } from './address';
import { adjacent, matchCase, type Word } from './words';

// Dutch. Formal: u, uw, uzelf, uwe. Informal: je, jij, jou, jouw, jullie, jezelf, jouwe.
// Every *je* counts as address, also in fixed expressions ("je weet maar nooit"): in a
// webcare reply it reads as addressing the customer all the same.

const NL_FORMAL: ReadonlyMap<string, string> = new Map([
  ['u', 'je'],
  ['uw', 'je'],
  ['uzelf', 'jezelf'],
  ['uwe', 'jouwe'],
]);
/** `je` is missing: its formal counterpart (u or uw) depends on its role. */
const NL_INFORMAL: ReadonlyMap<string, string> = new Map([
  ['je', ''],
  ['jij', 'u'],
  ['jou', 'u'],
  ['jouw', 'uw'],
  ['jullie', 'u'],
  ['jezelf', 'uzelf'],
  ['jouwe', 'uwe'],
]);

/** Verb forms before *je/jij* (inversion) and the same verb before *u*: kun je / kunt u. */
const NL_VERB_PAIRS: readonly [informal: string, formal: string][] = [
  ['kun', 'kunt'],
  ['kan', 'kunt'],
  ['heb', 'heeft'],
  ['heb', 'hebt'],
  ['ben', 'bent'],
  ['wil', 'wilt'],
  ['zal', 'zult'],
  ['mag', 'mag'],
  ['moet', 'moet'],
  ['hoef', 'hoeft'],
  ['weet', 'weet'],
  ['doe', 'doet'],
  ['ga', 'gaat'],
  ['sta', 'staat'],
  ['zie', 'ziet'],
  ['word', 'wordt'],
  ['krijg', 'krijgt'],
  ['ontvang', 'ontvangt'],
  ['vind', 'vindt'],
  ['stuur', 'stuurt'],
  ['bel', 'belt'],
  ['woon', 'woont'],
  ['wacht', 'wacht'],
  ['zoek', 'zoekt'],
  ['gebruik', 'gebruikt'],
  ['probeer', 'probeert'],
  ['neem', 'neemt'],
  ['lees', 'leest'],
  ['hoor', 'hoort'],
  ['merk', 'merkt'],
  ['begrijp', 'begrijpt'],
  ['kies', 'kiest'],
  ['betaal', 'betaalt'],
  ['reis', 'reist'],
  ['log', 'logt'],
  ['meld', 'meldt'],
  ['check', 'checkt'],
  ['controleer', 'controleert'],
  ['klik', 'klikt'],
  ['vul', 'vult'],
  ['blijf', 'blijft'],
  ['kom', 'komt'],
  ['bedoel', 'bedoelt'],
  ['zeg', 'zegt'],
  ['denk', 'denkt'],
  ...[
    'zou',
    'wou',
    'had',
    'was',
    'kon',
    'wilde',
    'wist',
    'mocht',
    'moest',
    'zag',
    'kreeg',
    'deed',
    'ging',
    'werd',
    'kwam',
    'bleef',
    'dacht',
    'vond',
    'zocht',
    'stuurde',
    'belde',
    'ontving',
    'hoorde',
    'betaalde',
    'probeerde',
    'gebruikte',
  ].map((v): [string, string] => [v, v]),
];
const NL_INVERTED_TO_FORMAL = new Map<string, string>();
const NL_INVERTED_TO_INFORMAL = new Map<string, string>();
for (const [informal, formal] of NL_VERB_PAIRS) {
  if (!NL_INVERTED_TO_FORMAL.has(informal)) NL_INVERTED_TO_FORMAL.set(informal, formal);
  if (!NL_INVERTED_TO_INFORMAL.has(formal)) NL_INVERTED_TO_INFORMAL.set(formal, informal);
}
/** kunnen jullie → kunt u. */
const NL_PLURAL_TO_FORMAL: ReadonlyMap<string, string> = new Map([
  ['kunnen', 'kunt'],
  ['hebben', 'heeft'],
  ['zijn', 'bent'],
  ['willen', 'wilt'],
  ['mogen', 'mag'],
  ['moeten', 'moet'],
  ['zullen', 'zult'],
  ['weten', 'weet'],
  ['gaan', 'gaat'],
  ['krijgen', 'krijgt'],
  ['ontvangen', 'ontvangt'],
  ['hoeven', 'hoeft'],
]);
/** Subject first, where the verb differs: je hebt / u heeft. */
const NL_SUBJECT_TO_FORMAL: ReadonlyMap<string, string> = new Map([
  ['hebt', 'heeft'],
  ['heb', 'heeft'],
  ['kan', 'kunt'],
  ['zal', 'zult'],
  ['wil', 'wilt'],
]);
const NL_SUBJECT_TO_INFORMAL: ReadonlyMap<string, string> = new Map([
  ['heeft', 'hebt'],
  ['hebt', 'hebt'],
]);
/** Words after *je* that make it a subject or object (u), not a possessive (uw). */
const NL_JE_NOT_POSSESSIVE = new Set([
  ...NL_INVERTED_TO_INFORMAL.keys(),
  ...'kan zal wil heb een de het dit dat deze die graag even nog al wel niet geen ook dan zo snel direct meteen morgen vandaag straks later hierbij daarbij daarmee hiermee verder terug op in aan bij met naar voor over uit om van door na te er hier daar toch echt zeker gelukkig alvast zelf namelijk maar en of want als dus nu vanavond vanmiddag binnenkort per via iets wat alles niets gerust wellicht misschien weer altijd nooit vaak eerst alleen toe mee af tegemoet ermee erbij erover ervoor erop eraan daarover daarvoor hopelijk zsm meer minder veel ons mij me hem haar hen persoonlijk uiteraard natuurlijk hierover binnen mogelijk helpen bellen terugbellen mailen sturen toesturen laten informeren vragen adviseren bereiken geven wijzen verwijzen doorverbinden uitleggen spreken bedanken vertellen horen zien uitnodigen herinneren'.split(
    ' ',
  ),
]);
/** Nouns before a capital U that make it a label: bus U, lijn U, perron U. */
const NL_LABEL_NOUNS = new Set(
  'bus buslijn lijn tram tramlijn metro metrolijn trein perron spoor gate vak blok rij categorie type model letter klasse sectie hal zone deur ingang uitgang vleugel gebouw route vitamine'.split(
    ' ',
  ),
);

/** Dutch address markers among `words` (already stripped of quotes, initials, sign-off). */
export function dutchMarkers(
  text: string,
  words: readonly Word[],
  customer: boolean,
): AddressMarker[] {
  const markers: AddressMarker[] = [];
  const marker = (form: AddressForm, from: Word, to: Word, suggestion?: string) => {
    markers.push({
      form,
      start: from.start,
      end: to.end,
      text: text.slice(from.start, to.end),
      suggestion,
    });
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const prev = i > 0 && adjacent(text, words[i - 1], w) ? words[i - 1] : undefined;
    const next = i + 1 < words.length && adjacent(text, w, words[i + 1]) ? words[i + 1] : undefined;
    if (NL_FORMAL.has(w.lower)) {
      if (w.lower === 'u' && isLabelOrUnit(text, words, i)) continue;
      const inverted = w.lower === 'u' && prev && NL_INVERTED_TO_INFORMAL.get(prev.lower);
      const subject = w.lower === 'u' && next && NL_SUBJECT_TO_INFORMAL.get(next.lower);
      if (prev && inverted) marker('formal', prev, w, `${matchCase(inverted, prev.text)} je`);
      else if (next && subject) marker('formal', w, next, `${matchCase('je', w.text)} ${subject}`);
      else marker('formal', w, w, matchCase(NL_FORMAL.get(w.lower) ?? '', w.text));
      continue;
    }
    if (!NL_INFORMAL.has(w.lower) || (customer && w.lower === 'jullie')) continue;
    const pronoun = w.lower === 'je' || w.lower === 'jij';
    const inverted =
      prev &&
      (pronoun
        ? NL_INVERTED_TO_FORMAL.get(prev.lower)
        : w.lower === 'jullie' && NL_PLURAL_TO_FORMAL.get(prev.lower));
    const subject = pronoun && next && NL_SUBJECT_TO_FORMAL.get(next.lower);
    if (prev && inverted) {
      marker('informal', prev, w, `${matchCase(inverted, prev.text)} u`);
      continue;
    }
    if (next && subject) {
      marker('informal', w, next, `${matchCase('u', w.text)} ${subject}`);
      continue;
    }
    let formal = NL_INFORMAL.get(w.lower) ?? '';
    // je + noun is possessive (je pakket → uw pakket); otherwise subject or object (u).
    if (w.lower === 'je') formal = !next || NL_JE_NOT_POSSESSIVE.has(next.lower) ? 'u' : 'uw';
    marker('informal', w, w, matchCase(formal, w.text));
  }
  return markers;
}

/** A capital U after a label noun (bus U), or a u after a number (10 u = uur). */
function isLabelOrUnit(text: string, words: readonly Word[], i: number): boolean {
  const w = words[i];
  const before = words[i - 1];
  if (!before || !adjacent(text, before, w)) return false;
  if (w.text === 'U' && NL_LABEL_NOUNS.has(before.lower)) return true;
  return w.text === 'u' && /^\d+$/.test(before.text);
}
