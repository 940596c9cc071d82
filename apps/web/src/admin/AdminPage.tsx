import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { MaturityControl } from './MaturityControl';
import { PolicyTable } from './PolicyTable';
import { TemplatesAdmin } from './tone/TemplatesAdmin';
import { ToneProfileAdmin } from './tone/ToneProfileAdmin';

/** The admin's screen: maturity level and policy, tone of voice and templates, people and channels. */
export function AdminPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('nav.admin'));
  return (
    <section className="page page-wide" aria-labelledby="admin-title">
      <h1 id="admin-title">{t('nav.admin')}</h1>
      <MaturityControl />
      <PolicyTable />
      <ToneProfileAdmin />
      <TemplatesAdmin />
    </section>
  );
}
