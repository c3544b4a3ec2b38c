import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The app is served by the Revline server from web/dist; in development `npm run dev:web`
// serves it with hot reload and forwards /api to a server on port 3000.
export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: {
      output: {
        // Libraries change less often than our code: separate chunks stay cached across releases.
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          // Charts only on the analytics screens: kept out of the shared Mantine chunk the login page loads.
          if (id.includes('@mantine/charts')) return 'charts';
          if (/node_modules\/(react|react-dom|scheduler|react-router|cookie|set-cookie-parser)\//.test(id)) return 'react';
          if (/node_modules\/(@mantine|@floating-ui|react-remove-scroll|react-number-format|clsx|tabbable|use-callback-ref|use-sidecar|react-style-singleton|get-nonce|aria-hidden|detect-node-es|tslib|react-textarea-autosize)/.test(id)) return 'mantine';
          if (id.includes('@tanstack')) return 'data';
          return undefined;
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://localhost:3000', changeOrigin: false } },
  },
});
