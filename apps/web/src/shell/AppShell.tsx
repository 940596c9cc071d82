import { MATURITY_NAMES } from '@toonbank/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router-dom';
import { useMe, useOrg } from '../api/queries';
import { useAuth } from '../auth/AuthProvider';
import { ErrorNotice } from '../ui/ErrorNotice';
import { SkeletonRows } from '../ui/Skeleton';
import { AvailabilityToggle } from './AvailabilityToggle';
import { LanguageSwitch } from './LanguageSwitch';
import { Notifications } from './Notifications';
import { canOpen, NAV_ITEMS } from './navigation';

const navClass = ({ isActive }: { isActive: boolean }) =>
  isActive ? 'nav-link nav-link-active' : 'nav-link';

/** The authenticated frame: header (organisation, user, availability, language, logout), nav, main. */
export function AppShell() {
  const { t } = useTranslation();
  const { logout } = useAuth();
  const me = useMe();
  const org = useOrg();
  const [signingOut, setSigningOut] = useState(false);

  const user = me.data;
  if (!user) {
    // The first load: the shell's shape while it comes; a failure says why and offers a way on.
    return (
      <div className="page-status">
        {me.isError ? (
          <>
            <ErrorNotice error={me.error} onRetry={() => void me.refetch()} />
            <button type="button" className="button button-quiet" onClick={() => void logout()}>
              {t('shell.logout')}
            </button>
          </>
        ) : (
          <SkeletonRows count={8} />
        )}
      </div>
    );
  }

  // Once signed out, RequireAuth sends the user to /login.
  const onLogout = () => {
    setSigningOut(true);
    void logout();
  };

  const organisation = org.data;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <div className="header-brand">
          <span className="brand">{t('app.name')}</span>
          {organisation && (
            <span className="org">
              <span className="org-name">{organisation.name}</span>
              <span className="badge" title={t('maturity.label')}>
                {t('maturity.badge', {
                  level: organisation.maturityLevel,
                  name: t(`maturity.names.${MATURITY_NAMES[organisation.maturityLevel]}`),
                })}
              </span>
            </span>
          )}
        </div>
        <div className="header-actions">
          <div className="user-summary">
            <span className="visually-hidden">
              {t('shell.user', { name: user.name, role: t(`roles.${user.role}`) })}
            </span>
            <span className="avatar" aria-hidden="true">
              {user.initials}
            </span>
            <span className="user-text" aria-hidden="true">
              <span className="user-name">{user.name}</span>
              <span className="user-role">{t(`roles.${user.role}`)}</span>
            </span>
          </div>
          <Notifications />
          <AvailabilityToggle />
          <LanguageSwitch />
          <button
            type="button"
            className="button button-quiet"
            onClick={onLogout}
            disabled={signingOut}
          >
            {signingOut ? t('shell.loggingOut') : t('shell.logout')}
          </button>
        </div>
      </header>
      <div className="app-body">
        <nav className="app-nav" aria-label={t('shell.mainNavigation')}>
          <ul>
            <li>
              <NavLink to="/" end className={navClass}>
                {t('nav.home')}
              </NavLink>
            </li>
            {NAV_ITEMS.filter((item) => canOpen(user.role, item)).map((item) => (
              <li key={item.screen}>
                <NavLink to={item.path} className={navClass}>
                  {t(`nav.${item.screen}`)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" className="app-main" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}
