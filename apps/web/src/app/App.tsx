import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { i18n as I18n } from 'i18next';
import { lazy, Suspense, type ComponentType } from 'react';
import { I18nextProvider } from 'react-i18next';
import { Route, Routes } from 'react-router-dom';
import { ApiProvider } from '../api/ApiContext';
import type { ApiClient } from '../api/client';
import { AuthProvider } from '../auth/AuthProvider';
import type { DemoLogin } from '../auth/demoLogins';
import { RequireAuth } from '../auth/RequireAuth';
import { HomePage } from '../pages/HomePage';
import { InboxPage } from '../inbox/InboxPage';
import { MePage } from '../me/MePage';
import { LoginPage } from '../pages/LoginPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { AppShell } from '../shell/AppShell';
import { NAV_ITEMS, type Screen } from '../shell/navigation';
import { RealtimeProvider } from '../realtime/RealtimeProvider';
import type { OpenInboxSocket } from '../realtime/socket';
import { RequirePermission } from '../shell/RequirePermission';
import { SkeletonRows } from '../ui/Skeleton';

export interface AppProps {
  api: ApiClient;
  queryClient: QueryClient;
  i18n: I18n;
  /** Demo accounts offered on the login page (development only). */
  demoLogins?: readonly DemoLogin[];
  /** Opens the live inbox socket (a fake in component tests). */
  openSocket?: OpenInboxSocket;
}

/** The app without its router: main.tsx wraps it in a BrowserRouter, tests in a MemoryRouter. */
export function App({ api, queryClient, i18n, demoLogins, openSocket }: AppProps) {
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <ApiProvider client={api}>
          <AuthProvider>
            <AppRoutes demoLogins={demoLogins} openSocket={openSocket} />
          </AuthProvider>
        </ApiProvider>
      </QueryClientProvider>
    </I18nextProvider>
  );
}

// Screens besides the inbox (and the chart library) load when first visited, not with the
// inbox: the script an agent's first list waits for stays small.
const BoardPage = lazy(() =>
  import('../board/BoardPage').then((module) => ({ default: module.BoardPage })),
);
const ReportsPage = lazy(() =>
  import('../reports/ReportsPage').then((module) => ({ default: module.ReportsPage })),
);
const AdminPage = lazy(() =>
  import('../admin/AdminPage').then((module) => ({ default: module.AdminPage })),
);

/** While a screen's code loads: the page's shape, one "loading" for screen readers. */
function Loading() {
  return (
    <div className="page">
      <SkeletonRows count={8} />
    </div>
  );
}

const SCREENS: Record<Screen, ComponentType> = {
  inbox: InboxPage,
  board: BoardPage,
  me: MePage,
  reports: ReportsPage,
  admin: AdminPage,
};

function AppRoutes({
  demoLogins,
  openSocket,
}: {
  demoLogins?: readonly DemoLogin[];
  openSocket?: OpenInboxSocket;
}) {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage demoLogins={demoLogins} />} />
      <Route
        element={
          <RequireAuth>
            <RealtimeProvider open={openSocket}>
              <AppShell />
            </RealtimeProvider>
          </RequireAuth>
        }
      >
        <Route index element={<HomePage />} />
        {NAV_ITEMS.map((item) => {
          const Page = SCREENS[item.screen];
          const page = (
            <Suspense fallback={<Loading />}>
              <Page />
            </Suspense>
          );
          const element = item.permission ? (
            <RequirePermission permission={item.permission}>{page}</RequirePermission>
          ) : (
            page
          );
          return <Route key={item.screen} path={item.path} element={element} />;
        })}
        <Route path="/inbox/:conversationId" element={<InboxPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
