import { useTranslation } from 'react-i18next';
import { useMe } from '../api/queries';
import { useDocumentTitle } from '../app/useDocumentTitle';

export function HomePage() {
  const { t } = useTranslation();
  const { data: user } = useMe();
  useDocumentTitle(t('home.title'));
  if (!user) return null;

  return (
    <section className="page" aria-labelledby="home-title">
      <h1 id="home-title">{t('home.title')}</h1>
      <div className="card">
        <p>{t('home.signedInAs', { name: user.name, email: user.email })}</p>
        <p>{t('home.role', { role: t(`roles.${user.role}`) })}</p>
        <p className={user.eligible ? 'notice notice-ok' : 'notice notice-warn'}>
          {user.eligible ? t('home.eligible') : t('home.notEligible')}
        </p>
      </div>
    </section>
  );
}
