import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { ApiClient } from '../api/client';
import { createQueryClient } from '../api/queries';
import { App } from '../app/App';
import type { DemoLogin } from '../auth/demoLogins';
import { createI18n } from '../i18n';
import type { FakeApi } from './fakeApi';
import { createFakeSocket, type FakeSocket } from './fakeSocket';

/** The whole app, as main.tsx builds it, on a memory router and the fake network. */
export function renderApp(
  fake: FakeApi,
  {
    route = '/',
    demoLogins,
    socket = createFakeSocket(),
  }: { route?: string; demoLogins?: readonly DemoLogin[]; socket?: FakeSocket } = {},
) {
  const api = new ApiClient({ storage: window.localStorage, fetch: fake.fetch });
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({
    queries: { ...queryClient.getDefaultOptions().queries, retry: false },
  });
  const i18n = createI18n(window.localStorage);
  const user = userEvent.setup();
  const view = render(
    <MemoryRouter initialEntries={[route]}>
      <App
        api={api}
        queryClient={queryClient}
        i18n={i18n}
        demoLogins={demoLogins}
        openSocket={socket.open}
      />
    </MemoryRouter>,
  );
  return { ...view, api, queryClient, i18n, user, socket };
}
