import 'i18next';
import type { nl } from './nl';

// Typed keys: `t('login.title')` is checked against the Dutch resources at compile time.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof nl };
  }
}
