import type { ChannelProvider, TemplateDto } from '@toonbank/shared';

/** A template as the picker offers it: whether it passes the current tone profile here. */
export interface TemplateOption {
  template: TemplateDto;
  toneOk: boolean;
}

/** Whether a template is meant for the channel (no providers: every channel). */
export const fitsProvider = (template: TemplateDto, provider: ChannelProvider) =>
  template.providers.length === 0 || template.providers.includes(provider);

/**
 * The templates to offer on `provider`, as the server judged them against the current tone
 * profile (`toneOk`; a provider it says nothing about counts as passing). People who must
 * answer from a template cannot fix a failing one, so it is not offered to them: `hidden`
 * counts those.
 */
export function offeredTemplates(
  templates: readonly TemplateDto[],
  provider: ChannelProvider,
  templateOnly: boolean,
): { options: TemplateOption[]; hidden: number } {
  const options: TemplateOption[] = [];
  let hidden = 0;
  for (const template of templates) {
    if (!fitsProvider(template, provider)) continue;
    const toneOk = template.toneOk?.[provider] !== false;
    if (!toneOk && templateOnly) hidden += 1;
    else options.push({ template, toneOk });
  }
  return { options, hidden };
}

/** The longest search the picker takes: substring tests stay linear in a template's text. */
export const TEMPLATE_SEARCH_MAX = 80;

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('nl');

/**
 * The options whose name or text contains every word of the search (case and accents
 * folded), names that match first; the order otherwise as given. Substring tests with a
 * search of at most TEMPLATE_SEARCH_MAX characters: linear in the templates' text.
 */
export function searchTemplates(
  options: readonly TemplateOption[],
  search: string,
): TemplateOption[] {
  const words = fold(search.slice(0, TEMPLATE_SEARCH_MAX)).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...options];
  const scored: { option: TemplateOption; rank: number }[] = [];
  for (const option of options) {
    const name = fold(option.template.name);
    const body = fold(option.template.body);
    if (!words.every((word) => name.includes(word) || body.includes(word))) continue;
    scored.push({ option, rank: words.every((word) => name.includes(word)) ? 0 : 1 });
  }
  return scored.sort((a, b) => a.rank - b.rank).map((entry) => entry.option);
}
