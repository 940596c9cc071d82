import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig, type UserConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = 'http://127.0.0.1:3000';

export default defineConfig(({ command }) => {
  // A build is always React's production build, whatever NODE_ENV the caller has: `npm start`
  // builds with NODE_ENV=development and `npm run bench` from inside Jest (test), and Vite keeps
  // an inherited NODE_ENV. React's development build is a third larger (797 KiB of JS instead of
  // 570) and runs StrictMode's double mount, so each screen sent its reads twice. Vite reads
  // NODE_ENV after loading this file.
  if (command === 'build') process.env.NODE_ENV = 'production';
  return config;
});

const config: UserConfig = {
  root,
  // Keep the dependency cache out of apps/web (no node_modules beside the sources).
  cacheDir: fileURLToPath(new URL('../../node_modules/.vite/web', import.meta.url)),
  // JSX is transformed by Vite's own oxc transformer (no @vitejs/plugin-react).
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'react' },
  },
  plugins: [
    // Every text file of the build also as x.br (brotli, quality 11) and x.gz (gzip, level 9),
    // compressed once here instead of on every request; the api serves the one the browser
    // accepts (apps/api/src/web/web-app-static.ts). Source maps stay as they are.
    compression({ algorithms: ['brotliCompress', 'gzip'] }),
  ],
  resolve: {
    // '@toonbank/source' first: workspace libraries resolve to their TypeScript source.
    conditions: ['@toonbank/source', ...defaultClientConditions],
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      // React Query and React Router mark modules "use client" (for RSC); meaningless here.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 4200,
    proxy: {
      // Cookies pass both ways untouched: the refresh cookie has no Domain attribute, so it
      // belongs to this dev server's origin, and its Path (/api/auth) is the same here.
      '/api': { target: api, changeOrigin: false },
      '/socket.io': { target: api, ws: true },
    },
  },
  preview: {
    host: '127.0.0.1',
    port: 4300,
  },
};
