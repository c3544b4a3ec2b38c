import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { inject } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import type { Db } from '../../../src/db/client.js';
import { buildApp } from '../../../src/server/app.js';
import { openTestDb } from '../../support/db.js';
import { launchBrowser } from './browser.js';
import { type E2EData, seedE2E } from './seed.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Builds web/dist when missing or stale (the same script npm start and npm test run; it locks against parallel builds). */
export function ensureWebBuild() {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/ensure-web-build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

export type Stack = { baseUrl: string; db: Db; app: FastifyInstance; browser: Browser; data: E2EData; close: () => Promise<void> };

/**
 * Everything a browser suite needs, real parts only: the built web app, a fresh database
 * (PGlite, or PostgreSQL with DB=postgres), seeded through the services, the real server
 * listening on a free loopback port, and one Chromium for the whole file.
 */
export async function startStack(): Promise<Stack> {
  ensureWebBuild();
  const kind = process.env.DB === 'postgres' && inject('postgresUp') ? 'postgres' : 'pglite';
  const handle = await openTestDb(kind);
  const data = await seedE2E(handle.db);
  const app = await buildApp({ db: handle.db, config: { ...loadConfig({}), loginRateLimit: 1000 } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const browser = await launchBrowser();
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    db: handle.db,
    app,
    browser,
    data,
    close: async () => {
      await browser.close().catch(() => {});
      await app.close();
      await handle.drop();
    },
  };
}
