import type { Command } from 'commander';
import { listUsers } from '../modules/org/org.repo.js';
import { userCreate } from '../modules/org/org.schema.js';
import { createUser } from '../modules/org/org.service.js';
import { resolveWorkspace, withDb } from './context.js';
import { parseOrExit } from './parse.js';

const collect = (v: string, prev: string[]) => [
  ...prev,
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

export function registerUser(program: Command) {
  const user = program.command('user').description('Manage users');
  user
    .command('add')
    .description('Add a user to a workspace')
    .requiredOption('--email <email>', 'login email')
    .requiredOption('--role <role>', 'a role; repeat or comma-separate for several', collect, [])
    .requiredOption('--password <password>', 'at least 10 characters')
    .option('--name <name>', 'display name (default: from the email)')
    .option('--workspace <slug>', 'workspace slug (needed when there are several)')
    .action((opts) =>
      withDb(async (db) => {
        const w = await resolveWorkspace(db, opts.workspace);
        const input = parseOrExit(userCreate, {
          email: opts.email,
          name: opts.name ?? opts.email.split('@')[0],
          roles: opts.role,
          password: opts.password,
        });
        const u = await createUser(db, 'system', w.id, input);
        console.log(`Added ${u.email} (${u.roles.join(', ')}) to ${w.slug}`);
      }),
    );
  user
    .command('list')
    .description('List users of a workspace')
    .option('--workspace <slug>', 'workspace slug')
    .action((opts) =>
      withDb(async (db) => {
        const w = await resolveWorkspace(db, opts.workspace);
        for (const u of await listUsers(db, w.id)) console.log(`${u.email}\t${u.name}\t${u.roles.join(',')}`);
      }),
    );
}
