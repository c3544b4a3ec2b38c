import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import { startServer } from '../server/server.js';
import { withDb } from './context.js';

export function registerStart(program: Command) {
  program
    .command('start')
    .description('Start the server and web app on PORT (default 3000); an empty database gets the demo workspace')
    .option('--no-demo', 'do not create the demo workspace on an empty database')
    .action(async (opts: { demo: boolean }) => {
      const { stop } = await startServer(loadConfig(), { demoIfEmpty: opts.demo });
      for (const sig of ['SIGINT', 'SIGTERM'] as const)
        process.once(sig, () => {
          stop().finally(() => process.exit(0));
        });
    });
}

export function registerMigrate(program: Command) {
  program
    .command('migrate')
    .description('Apply pending database migrations (start does this too)')
    .action(() =>
      withDb(async (db) => {
        const applied = await migrate(db);
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date');
      }),
    );
}
