import type { Command } from 'commander';
import { z } from 'zod';
import { listWorkspaces } from '../modules/org/org.repo.js';
import { currency, slug, timezone } from '../modules/org/org.schema.js';
import { createWorkspace } from '../modules/org/org.service.js';
import { withDb } from './context.js';
import { parseOrExit } from './parse.js';

export function registerWorkspace(program: Command) {
  const ws = program.command('workspace').description('Manage workspaces');
  ws.command('list')
    .description('List workspaces')
    .action(() =>
      withDb(async (db) => {
        for (const w of await listWorkspaces(db)) console.log(`${w.slug}\t${w.name}\t${w.timezone}\t${w.currency}`);
      }),
    );
  ws.command('create')
    .description('Create a workspace')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--slug <slug>', 'short identifier (lowercase, dashes)')
    .option('--timezone <tz>', 'IANA time zone', 'UTC')
    .option('--currency <code>', 'ISO 4217 currency', 'USD')
    .action((opts) =>
      withDb(async (db) => {
        const input = parseOrExit(z.object({ name: z.string().min(1).max(200), slug, timezone, currency }), opts);
        const w = await createWorkspace(db, input);
        console.log(`Created workspace ${w.slug} (${w.id})`);
      }),
    );
}
