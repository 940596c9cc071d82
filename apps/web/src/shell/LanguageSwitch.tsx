import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n';

/**
 * nl / en, persisted by the i18n instance. Each name is written in its own language; a phone
 * shows "NL" / "EN" (the full name stays the button's name).
 */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current = i18n.resolvedLanguage ?? i18n.language;
  return (
    <div role="group" aria-label={t('language.label')} className="segmented">
      {LANGUAGES.map((language) => (
        <button
          key={language}
          type="button"
          lang={language}
          className="segmented-option"
          aria-pressed={current === language}
          aria-label={t(`language.${language}`)}
          onClick={() => void i18n.changeLanguage(language)}
        >
          <span className="segmented-long">{t(`language.${language}`)}</span>
          <span className="segmented-short" aria-hidden="true">
            {language.toUpperCase()}
          </span>
        </button>
      ))}
    </div>
  );
}
