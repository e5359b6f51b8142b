// Builds the admin UI into web/dist, which the API serves as static files (DESIGN.md layout).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const webRoot = decodeURIComponent(new URL('.', import.meta.url).pathname);
const repoRoot = decodeURIComponent(new URL('..', import.meta.url).pathname);

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  // index.html carries this placeholder in a <meta property="csp-nonce"> and on its tags; the API replaces it
  // with a fresh nonce per page (api/securityHeaders.ts CSP_NONCE_PLACEHOLDER, spaIndex).
  html: { cspNonce: '__SKILLFLOW_CSP_NONCE__' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd is large; one vendor chunk keeps the app chunk small and cacheable.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // the charts (ECharts) only on the dashboard, loaded when it opens
          groups: [
            {
              name: 'charts',
              test: /node_modules[\\/](echarts|zrender|echarts-for-react|size-sensor)[\\/]/,
              priority: 2,
              // only these packages: by default their dependencies (React, tslib) came along, and with React
              // in it the charts chunk was loaded by every page
              includeDependenciesRecursively: false,
            },
            { name: 'vendor', test: /node_modules/, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    // The pure domain/ name tables live outside web/.
    fs: { allow: [repoRoot] },
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
