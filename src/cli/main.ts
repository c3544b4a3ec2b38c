import { Command } from 'commander';
import { AppError } from '../platform/errors.js';
import { registerApiKey } from './apikey.js';
import { register as registerComp } from './comp.js';
import { CliError } from './context.js';
import { register as registerExport } from './export.js';
import { register as registerImport } from './import.js';
import { register as registerPlan } from './plan.js';
import { register as registerQuota } from './quota.js';
import { register as registerReport } from './report.js';
import { registerMigrate, registerStart } from './start.js';
import { registerUser } from './user.js';
import { registerWorkspace } from './workspace.js';

const program = new Command()
  .name('revline')
  .description('Revline: the revenue engine of a B2B SaaS company. Configuration comes from the environment (see README).')
  .showHelpAfterError();

registerStart(program);
registerMigrate(program);
registerWorkspace(program);
registerUser(program);
registerApiKey(program);
registerImport(program);
registerExport(program);
registerReport(program);
registerQuota(program);
registerPlan(program);
registerComp(program);
const demo = await import('./demo.js').catch((err) => {
  // The demo command is optional while it is being built; say why it is missing instead of hiding it.
  if ((err as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw err;
  return null;
});
demo?.register(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CliError) {
    console.error(`error: ${err.message}`);
    process.exit(1);
  }
  if (err instanceof AppError) {
    console.error(`error: ${err.message}`);
    if (Array.isArray(err.details)) for (const d of err.details) console.error(`  ${d.path}: ${d.message}`);
    process.exit(1);
  }
  throw err;
}
