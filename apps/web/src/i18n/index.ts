import { createInstance, type i18n as I18n } from 'i18next';
import { en } from './en';
import { nl } from './nl';

export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'nl';
export const LANGUAGE_STORAGE_KEY = 'toonbank.language';

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

type LanguageStorage = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * A fresh i18next instance (one per app, one per test). The language is read from and
 * persisted to `storage`; the document's `lang` follows it for screen readers.
 */
export function createI18n(storage: LanguageStorage | null): I18n {
  const stored = storage?.getItem(LANGUAGE_STORAGE_KEY);
  const lng: Language = isLanguage(stored) ? stored : DEFAULT_LANGUAGE;
  const instance = createInstance();
  void instance.init({
    resources: { nl: { translation: nl }, en: { translation: en } },
    lng,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    initAsync: false,
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
  });
  instance.on('languageChanged', (language) => {
    if (!isLanguage(language)) return;
    storage?.setItem(LANGUAGE_STORAGE_KEY, language);
    document.documentElement.lang = language;
  });
  document.documentElement.lang = lng;
  return instance;
}
