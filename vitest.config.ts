import { defineConfig } from 'vitest/config';

// Three layers: pure and service tests beside the code (src/), HTTP and browser tests in test/.
// DB=pglite|postgres|both picks the engines for the database suites (default both).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { TZ: 'UTC' },
    setupFiles: ['test/support/no-network.ts'],
    globalSetup: ['test/support/global-setup.ts'],
  },
});
