import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { ApiClient } from './api/client';
import { createQueryClient } from './api/queries';
import { App } from './app/App';
import { DEMO_LOGINS } from './auth/demoLogins';
import { config } from './config/env';
import { createI18n } from './i18n';
import './styles.css';

const storage = window.localStorage;
const api = new ApiClient({ storage });
const queryClient = createQueryClient();
const i18n = createI18n(storage);

const container = document.getElementById('root');
if (!container) throw new Error('index.html lacks #root');

createRoot(container).render(
  <StrictMode>
    <BrowserRouter>
      <App
        api={api}
        queryClient={queryClient}
        i18n={i18n}
        demoLogins={config.showDemoLogins ? DEMO_LOGINS : undefined}
      />
    </BrowserRouter>
  </StrictMode>,
);
