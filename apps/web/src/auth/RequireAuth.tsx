import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';
import { useAuth } from './AuthProvider';

export interface LoginRedirectState {
  from?: { pathname: string; search: string; hash: string };
}

/** Renders its children for a signed-in user; otherwise sends them to /login and back. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { status, loggedOut } = useAuth();
  const location = useLocation();
  const { t } = useTranslation();

  if (status === 'restoring') {
    return (
      <p className="page-status" role="status">
        {t('app.restoringSession')}
      </p>
    );
  }
  if (status === 'signedOut') {
    // After an expired session, come back here once signed in; after a logout, start afresh.
    const state: LoginRedirectState = loggedOut
      ? {}
      : { from: { pathname: location.pathname, search: location.search, hash: location.hash } };
    return <Navigate to="/login" replace state={state} />;
  }
  return <>{children}</>;
}
