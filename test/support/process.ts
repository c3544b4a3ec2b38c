import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A free TCP port on loopback: listen on port 0, read the port the OS gave, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export type ServerProcess = {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Everything the process printed so far (for failure messages). */
  output: () => string;
  /** Sends the signal and waits for the process to exit. */
  kill: (signal?: NodeJS.Signals) => Promise<void>;
};

// Every process started here, so a failing test never leaves a server running.
const started = new Set<ServerProcess>();

/**
 * Starts a real Revline server (`revline start --no-demo`) as a child process on the given database,
 * and resolves once /api/v1/health answers. The CLI does not print a port chosen by the OS, so the
 * port is picked here first.
 */
export async function startServerProcess(opts: {
  databaseUrl: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start', '--no-demo'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: opts.databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const proc: ServerProcess = {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    child,
    output: () => out,
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
      started.delete(proc);
    },
  };
  started.add(proc);
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      started.delete(proc);
      throw new Error(`server process exited with ${child.exitCode} before answering:\n${out}`);
    }
    try {
      const res = await fetch(`${proc.url}/api/v1/health`);
      if (res.ok) return proc;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  await proc.kill('SIGKILL');
  throw new Error(`server process did not answer /api/v1/health in time:\n${out}`);
}

/** Kills every server process still running (afterAll, and on failure). */
export async function killAllServerProcesses() {
  await Promise.all([...started].map((p) => p.kill('SIGKILL')));
}

process.once('exit', () => {
  for (const p of started) p.child.kill('SIGKILL');
});
