import { useMutation } from '@tanstack/react-query';
import { ErrorCode } from '@toonbank/shared';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { isApiError } from '../api/ApiError';
import { useAuth } from '../auth/AuthProvider';
import { DEMO_PASSWORD, type DemoLogin } from '../auth/demoLogins';
import type { LoginRedirectState } from '../auth/RequireAuth';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { errorMessage } from '../i18n/errorMessage';
import { LanguageSwitch } from '../shell/LanguageSwitch';

export interface LoginPageProps {
  /** Demo accounts to offer as a hint; pass none outside development. */
  demoLogins?: readonly DemoLogin[];
}

const targetAfterLogin = (state: unknown): string => {
  const from = (state as LoginRedirectState | null)?.from;
  if (!from || from.pathname === '/login') return '/';
  return `${from.pathname}${from.search}${from.hash}`;
};

export function LoginPage({ demoLogins = [] }: LoginPageProps) {
  const { t } = useTranslation();
  const { status, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const errorRef = useRef<HTMLParagraphElement>(null);
  const errorId = useId();
  useDocumentTitle(t('login.title'));

  const mutation = useMutation({
    mutationFn: (credentials: { email: string; password: string }) =>
      login(credentials.email, credentials.password),
    onSuccess: () => navigate(targetAfterLogin(location.state), { replace: true }),
    onError: (error) => {
      if (isApiError(error) && error.code === ErrorCode.InvalidCredentials) {
        setPassword('');
        passwordRef.current?.focus();
      } else {
        errorRef.current?.focus();
      }
    },
  });

  useEffect(() => {
    emailRef.current?.focus();
  }, []);

  if (status === 'signedIn' && !mutation.isPending && !mutation.isSuccess) {
    return <Navigate to={targetAfterLogin(location.state)} replace />;
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (mutation.isPending) return;
    mutation.mutate({ email: email.trim(), password });
  };

  const fillDemo = (demo: DemoLogin) => {
    setEmail(demo.email);
    setPassword(DEMO_PASSWORD);
    mutation.reset();
    emailRef.current?.focus();
  };

  const error = mutation.error;
  let message: string | null = null;
  if (error) {
    if (isApiError(error) && error.code === ErrorCode.InvalidCredentials) {
      message = t('login.invalidCredentials');
    } else if (isApiError(error) && error.code === ErrorCode.RateLimited) {
      message = error.retryAfterSeconds
        ? t('login.rateLimitedRetry', { count: Math.ceil(error.retryAfterSeconds / 60) })
        : t('login.rateLimited');
    } else {
      message = errorMessage(t, error);
    }
  }

  return (
    <div className="login-layout">
      <header className="login-header">
        <p className="brand">{t('app.name')}</p>
        <LanguageSwitch />
      </header>
      <main id="main" className="login-main">
        <section className="card login-card" aria-labelledby="login-title">
          <h1 id="login-title">{t('login.title')}</h1>
          <p className="muted">{t('login.intro')}</p>
          <form className="form" onSubmit={onSubmit}>
            <div className="field">
              <label htmlFor="login-email">{t('login.email')}</label>
              <input
                id="login-email"
                ref={emailRef}
                type="email"
                name="email"
                autoComplete="username"
                required
                value={email}
                onChange={(event) => setEmail(event.target.value)}
                aria-describedby={message ? errorId : undefined}
                aria-invalid={message ? true : undefined}
              />
            </div>
            <div className="field">
              <label htmlFor="login-password">{t('login.password')}</label>
              <input
                id="login-password"
                ref={passwordRef}
                type="password"
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(event) => setPassword(event.target.value)}
                aria-describedby={message ? errorId : undefined}
                aria-invalid={message ? true : undefined}
              />
            </div>
            <div
              className="form-error-region"
              role="alert"
              aria-live="assertive"
              aria-atomic="true"
            >
              {message && (
                <p id={errorId} ref={errorRef} className="form-error" tabIndex={-1}>
                  {message}
                </p>
              )}
            </div>
            <button
              type="submit"
              className="button button-primary"
              disabled={mutation.isPending}
              aria-busy={mutation.isPending || undefined}
            >
              {mutation.isPending ? t('login.submitting') : t('login.submit')}
            </button>
          </form>
        </section>
        {demoLogins.length > 0 && (
          <aside className="card demo-card" aria-labelledby="demo-title">
            <h2 id="demo-title">{t('login.demo.title')}</h2>
            <p className="muted">{t('login.demo.password', { password: DEMO_PASSWORD })}</p>
            <ul className="demo-list">
              {demoLogins.map((demo) => (
                <li key={demo.email}>
                  <button type="button" className="link-button" onClick={() => fillDemo(demo)}>
                    {t('login.demo.use', { email: demo.email, role: t(`roles.${demo.role}`) })}
                  </button>
                </li>
              ))}
            </ul>
          </aside>
        )}
      </main>
    </div>
  );
}
