import type { Command } from 'commander';
import { apiKeyCreate } from '../modules/org/org.schema.js';
import { createApiKey } from '../modules/org/org.service.js';
import { PERMISSIONS } from '../platform/auth/principal.js';
import { resolveWorkspace, withDb } from './context.js';
import { parseOrExit } from './parse.js';

export function registerApiKey(program: Command) {
  const k = program.command('apikey').description('Manage API keys');
  k.command('create')
    .description('Create an API key scoped to one workspace; the key is printed once')
    .requiredOption('--name <name>', 'what the key is for')
    .option('--permissions <list>', `comma-separated, from: ${PERMISSIONS.join(', ')}`, 'crm:read,crm:write')
    .option('--workspace <slug>', 'workspace slug')
    .action((opts) =>
      withDb(async (db) => {
        const w = await resolveWorkspace(db, opts.workspace);
        const input = parseOrExit(apiKeyCreate, {
          name: opts.name,
          permissions: String(opts.permissions)
            .split(',')
            .map((s) => s.trim()),
        });
        const key = await createApiKey(db, 'system', w.id, input);
        console.log(`API key for ${w.slug} (${key.permissions.join(', ')}):\n${key.key}\nStore it now: it cannot be shown again.`);
      }),
    );
}
