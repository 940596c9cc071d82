/**
 * The only module that reads `import.meta.env` (Vite). Jest compiles to CommonJS, where
 * `import.meta` does not exist: only main.tsx imports this file, and no test does.
 */
export const config = {
  /** Offer the seeded demo accounts on the login page: dev server, or VITE_SHOW_DEMO_LOGINS=true. */
  showDemoLogins: import.meta.env.DEV || String(import.meta.env.VITE_SHOW_DEMO_LOGINS) === 'true',
};
