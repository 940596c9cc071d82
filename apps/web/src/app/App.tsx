import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { i18n as I18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { Route, Routes } from 'react-router-dom';
import { ApiProvider } from '../api/ApiContext';
import type { ApiClient } from '../api/client';
import { AuthProvider } from '../auth/AuthProvider';
import type { DemoLogin } from '../auth/demoLogins';
import { RequireAuth } from '../auth/RequireAuth';
import { HomePage } from '../pages/HomePage';
import { LoginPage } from '../pages/LoginPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { PlaceholderPage } from '../pages/PlaceholderPage';
import { AppShell } from '../shell/AppShell';
import { NAV_ITEMS } from '../shell/navigation';
import { RequirePermission } from '../shell/RequirePermission';

export interface AppProps {
  api: ApiClient;
  queryClient: QueryClient;
  i18n: I18n;
  /** Demo accounts offered on the login page (development only). */
  demoLogins?: readonly DemoLogin[];
}

/** The app without its router: main.tsx wraps it in a BrowserRouter, tests in a MemoryRouter. */
export function App({ api, queryClient, i18n, demoLogins }: AppProps) {
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <ApiProvider client={api}>
          <AuthProvider>
            <AppRoutes demoLogins={demoLogins} />
          </AuthProvider>
        </ApiProvider>
      </QueryClientProvider>
    </I18nextProvider>
  );
}

function AppRoutes({ demoLogins }: { demoLogins?: readonly DemoLogin[] }) {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage demoLogins={demoLogins} />} />
      <Route
        element={
          <RequireAuth>
            <AppShell />
          </RequireAuth>
        }
      >
        <Route index element={<HomePage />} />
        {NAV_ITEMS.map((item) => (
          <Route
            key={item.screen}
            path={item.path}
            element={
              item.permission ? (
                <RequirePermission permission={item.permission}>
                  <PlaceholderPage screen={item.screen} />
                </RequirePermission>
              ) : (
                <PlaceholderPage screen={item.screen} />
              )
            }
          />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
