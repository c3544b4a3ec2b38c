import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { createDemo, MAX_SCALE } from '../demo/demo.js';
import { slug } from '../modules/org/org.schema.js';
import { withDb } from './context.js';
import { parseOrExit } from './parse.js';

const options = z.object({
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31),
  scale: z.coerce.number().positive().max(MAX_SCALE),
  workspace: slug.optional(),
  now: z.iso.datetime({ offset: true }).optional(),
});

/** `revline demo`: writes the demo revenue organisation (deterministic with --seed, sized with --scale). */
export function register(program: Command) {
  program
    .command('demo')
    .description(
      'Create the demo revenue organisation: 41 people and twelve months of visits, leads, deals and customers (scale 1 is about 100k leads)',
    )
    .option('--seed <n>', 'random seed: the same seed writes the same data', '1')
    .option('--scale <n>', 'size: 1 is about 100k leads, 10 about a million', '1')
    .option('--workspace <slug>', 'workspace slug (default: demo, or demo-<seed> when demo exists)')
    .option('--now <iso>', 'end of the twelve months of history (default: now), e.g. 2025-06-30T12:00:00Z')
    .action((raw) =>
      withDb(async (db, config) => {
        const opts = parseOrExit(options, raw);
        const bar = new SingleBar({
          format: 'Writing the demo |{bar}| {percentage}% {value}/{total} {label}',
          stream: process.stderr,
          hideCursor: true,
        });
        let started = false;
        const t0 = performance.now();
        try {
          const demo = await createDemo(db, {
            seed: opts.seed,
            scale: opts.scale,
            slug: opts.workspace,
            now: opts.now ? new Date(opts.now) : undefined,
            onProgress: (done, total, label) => {
              if (!started) {
                bar.start(total, 0, { label });
                started = true;
              }
              bar.setTotal(total);
              bar.update(done, { label });
            },
          });
          if (started) bar.stop();
          const seconds = ((performance.now() - t0) / 1000).toFixed(1);
          console.log(
            `Demo workspace "${demo.slug}" written in ${seconds}s (${db.kind === 'pglite' ? `embedded database ${config.dataDir}` : 'PostgreSQL'}).`,
          );
          console.log(`Sign in at ${config.publicUrl} with one of these (workspace "${demo.slug}" when asked):`);
          for (const l of demo.logins) console.log(`  ${l.role.padEnd(22)} ${l.email.padEnd(36)} ${l.password}`);
        } catch (err) {
          if (started) bar.stop();
          throw err;
        }
      }),
    );
}
