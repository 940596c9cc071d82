import type { AddressForm, ToneLanguage } from '@toonbank/shared';
import { overlapTest, type Range } from './range';
import { englishMarkers } from './address-en';
import { dutchMarkers } from './address-nl';
import { analyseText, type TextAnalysis } from './words';

/** One word (or verb + pronoun pair) that shows a form of address. */
export interface AddressMarker extends Range {
  form: AddressForm;
  /** The words as written. */
  text: string;
  /** The same words in the other form, where there is a clear one. */
  suggestion?: string;
}

export interface AddressMarkerOptions {
  /** Ranges not to judge (the sign-off). */
  exclude?: readonly Range[];
  /**
   * Customer text: Dutch *jullie* is left out there, since a customer addressing the company
   * as a group says nothing about the form they use.
   */
  customer?: boolean;
}

/**
 * The address markers of a text in reading order. Words in quotation marks, initials,
 * URLs, handles and the `exclude` ranges are not judged.
 */
export function findAddressMarkers(
  analysis: TextAnalysis,
  language: ToneLanguage,
  options: AddressMarkerOptions = {},
): AddressMarker[] {
  const skipped = overlapTest([
    ...analysis.quoted,
    ...analysis.initials,
    ...(options.exclude ?? []),
  ]);
  const words = analysis.words.filter((w) => !skipped(w.start, w.end));
  return language === 'nl'
    ? dutchMarkers(analysis.text, words, options.customer === true)
    : englishMarkers(analysis.text, words);
}

/** The form a set of markers shows: one form, `mixed`, or null when there are none. */
export function addressFormOf(markers: readonly AddressMarker[]): AddressForm | 'mixed' | null {
  const formal = markers.some((m) => m.form === 'formal');
  const informal = markers.some((m) => m.form === 'informal');
  return formal && informal ? 'mixed' : formal ? 'formal' : informal ? 'informal' : null;
}

/** Where a text uses formal and informal address. */
export function detectAddressForm(
  text: string,
  language: ToneLanguage,
): { formal: Range[]; informal: Range[] } {
  const markers = findAddressMarkers(analyseText(text), language);
  const ranges = (form: AddressForm) =>
    markers.filter((m) => m.form === form).map(({ start, end }) => ({ start, end }));
  return { formal: ranges('formal'), informal: ranges('informal') };
}

/** The customer's own clear form of address; null when they used none or both. */
export function customerAddressForm(
  customerText: string,
  language: ToneLanguage,
): AddressForm | null {
  const form = addressFormOf(
    findAddressMarkers(analyseText(customerText), language, { customer: true }),
  );
  return form === 'mixed' ? null : form;
}
