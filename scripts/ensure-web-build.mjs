#!/usr/bin/env node
// Builds the web app (web/dist) only when it is missing or older than its sources, so `npm start` and
// `npm test` stay fast when nothing changed. Concurrent callers (parallel test files) share one build
// through a lock file: the first builds, the others wait for it and then find the build fresh.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB = path.join(ROOT, 'web');
const BUILT = path.join(WEB, 'dist', 'index.html');
const LOCK = path.join(WEB, '.build.lock');
const STALE_LOCK_MS = 5 * 60_000;

/** The newest modification time among the files the build reads (web/src, index.html, vite config). */
function newestSourceTime() {
  let newest = 0;
  const visit = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(p, name));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of ['src', 'index.html', 'vite.config.ts']) visit(path.join(WEB, p));
  return newest;
}

export function webBuildIsFresh() {
  try {
    return fs.statSync(BUILT).mtimeMs >= newestSourceTime();
  } catch {
    return false;
  }
}

function tryLock() {
  try {
    fs.writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    try {
      if (Date.now() - fs.statSync(LOCK).mtimeMs > STALE_LOCK_MS) fs.rmSync(LOCK, { force: true });
    } catch {
      // the holder just released it; the next attempt will tell
    }
    return false;
  }
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Builds web/dist when needed. Returns true when it built. Throws when the build fails. */
export function ensureWebBuild({ quiet = false } = {}) {
  for (;;) {
    if (webBuildIsFresh()) return false;
    if (tryLock()) break;
    sleep(250);
  }
  try {
    if (webBuildIsFresh()) return false;
    if (!quiet) console.log('[revline] building the web app (web/dist is missing or older than web/src)...');
    const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    const r = spawnSync(
      process.execPath,
      [vite, 'build', '--config', path.join(WEB, 'vite.config.ts'), '--logLevel', quiet ? 'error' : 'warn'],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
    if (r.status !== 0) throw new Error(`web build failed (exit ${r.status ?? r.signal})`);
    // Mark the build as at least as new as the sources even if the clock or copy kept older times.
    const now = new Date();
    fs.utimesSync(BUILT, now, now);
    return true;
  } finally {
    fs.rmSync(LOCK, { force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureWebBuild();
  } catch (e) {
    console.error(`[revline] ${e.message}`);
    process.exit(1);
  }
}
