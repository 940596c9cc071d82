import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../app/useDocumentTitle';

/** Stands in for a screen that a later iteration builds. */
export function PlaceholderPage({ screen }: { screen: 'reports' }) {
  const { t } = useTranslation();
  const title = t(`nav.${screen}`);
  useDocumentTitle(title);
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{title}</h1>
      <div className="card placeholder">
        <p className="placeholder-title">{t('placeholder.comingSoon')}</p>
        <p className="muted">{t(`placeholder.${screen}`)}</p>
      </div>
    </section>
  );
}
