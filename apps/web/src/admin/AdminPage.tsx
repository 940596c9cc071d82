import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { MaturityControl } from './MaturityControl';
import { PolicyTable } from './PolicyTable';

/** The admin's screen: the maturity level and the policy it puts in force. */
export function AdminPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('nav.admin'));
  return (
    <section className="page page-wide" aria-labelledby="admin-title">
      <h1 id="admin-title">{t('nav.admin')}</h1>
      <MaturityControl />
      <PolicyTable />
    </section>
  );
}
