import { defineConfig } from 'vite';

/**
 * In development the app and the API share an origin: the dev server passes
 * /api on to the API (TASKWELL_API_PROXY, set by `npm run web` from the root),
 * so no CORS setup is needed. A production build calls VITE_API_URL (empty:
 * the origin it is served from).
 */
export default defineConfig({
  server: {
    port: Number(process.env.WEB_PORT ?? 5173),
    strictPort: true,
    proxy: { '/api': { target: process.env.TASKWELL_API_PROXY ?? 'http://127.0.0.1:3000' } },
  },
  build: { target: 'es2022', sourcemap: true },
});
