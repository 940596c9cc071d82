import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation } from 'react-router-dom';
import { ErrorNotice } from '../ui/ErrorNotice';
import { SkeletonRows } from '../ui/Skeleton';
import { useAuth } from './AuthProvider';

export interface LoginRedirectState {
  from?: { pathname: string; search: string; hash: string };
}

/** Renders its children for a signed-in user; otherwise sends them to /login and back. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { status, loggedOut, restoreError, retryRestore } = useAuth();
  const location = useLocation();
  const { t } = useTranslation();

  if (status === 'restoring') {
    return (
      <div className="page-status">
        <SkeletonRows count={8} label={t('app.restoringSession')} />
      </div>
    );
  }
  if (status === 'restoreFailed') {
    // The server did not answer: the session may be fine. Try again, or sign in afresh.
    return (
      <div className="page-status">
        <h1>{t('app.restoreFailed')}</h1>
        <ErrorNotice error={restoreError} onRetry={retryRestore} />
        <p>
          <Link to="/login">{t('app.signInAgain')}</Link>
        </p>
      </div>
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
