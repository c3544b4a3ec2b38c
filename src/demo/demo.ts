import type { Db } from '../db/client.js';
import { markAllDirty, refreshRollups } from '../modules/analytics/rollup.repo.js';
import { hashPassword } from '../platform/auth/secrets.js';
import { invalid } from '../platform/errors.js';
import { prepareBulkLoad } from './bulk-load.js';
import { Calendar, DAY } from './calendar.js';
import { companyOf } from './catalog.js';
import { seedDemoComp } from './comp-demo.js';
import type { DemoContext } from './context.js';
import { installBase } from './customer.js';
import { simulateLead } from './lead.js';
import { createDemoOrg, demoLogins, freeDemoSlug } from './org-setup.js';
import { DEMO_PASSWORD } from './people.js';
import { seedDemoQuotas } from './quotas-demo.js';
import { IdFactory, Rng } from './rng.js';
import { seedRoutingDemo } from './routing-demo.js';
import { AHA } from './shape.js';
import { type ChatTally, leadPlans, plannedLeads } from './streams.js';
import { deriveSuccess, seedMilestones } from './success-demo.js';
import { writeSurveys } from './surveys-demo.js';
import { trafficPlan, writeTraffic } from './traffic.js';
import { Writer } from './writer.js';

export { DEMO_PASSWORD, DEMO_PROFILES, PEOPLE } from './people.js';

export type DemoOptions = {
  seed: number;
  scale: number;
  /** The end of the twelve months of history (default: the current time). */
  now?: Date;
  /** Workspace slug; default `demo`, or `demo-<seed>` (then `demo-<seed>-2`, ...) when taken. */
  slug?: string;
  onProgress?: (done: number, total: number, label: string) => void;
};
export type DemoResult = { workspaceId: string; slug: string; logins: { role: string; email: string; password: string }[] };

/** Scale 1 is about 100k leads; the largest scale allowed writes about 10M. */
export const MAX_SCALE = 100;

/**
 * Writes the demo revenue organisation: 41 people in six teams and twelve months of visits, conversations,
 * leads, deals and customers ending at `now`, the customers' product usage and buyer surveys, and what the success
 * services derive from them (aha milestones, health, tasks). Deterministic: the same seed (and slug, and now)
 * writes the same rows, ids included. All in one transaction: a failure leaves nothing behind.
 */
export async function createDemo(db: Db, opts: DemoOptions): Promise<DemoResult> {
  if (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > 2 ** 31) throw invalid('seed', 'a whole number from 0 to 2147483648');
  if (!(opts.scale > 0 && opts.scale <= MAX_SCALE)) throw invalid('scale', `a number above 0, at most ${MAX_SCALE}`);
  const now = (opts.now ?? new Date()).getTime();
  if (!Number.isFinite(now)) throw invalid('now', 'a valid date and time');
  const progress = opts.onProgress ?? (() => {});
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  const result = await db.transaction(async (tx) => {
    const bulk = await prepareBulkLoad(tx);
    const slug = opts.slug ?? (await freeDemoSlug(tx, opts.seed));
    const ids = new IdFactory(opts.seed, slug);
    const master = new Rng(opts.seed);
    const { workspaceId, reps } = await createDemoOrg(tx, { slug, passwordHash, now, ids });
    const w = new Writer(tx, workspaceId);
    let visitors = 0;
    const ctx: DemoContext = {
      workspaceId,
      now,
      scale: opts.scale,
      rng: master.fork('customers'),
      ids,
      cal: new Calendar(new Date(now)),
      w,
      reps,
      accountsByDomain: new Map(),
      contactsByEmail: new Map(),
      backdate: { accounts: new Map(), contacts: new Map() },
      // Repeat draws from these are colleagues at one company: about one company per 1.3 leads.
      companyPool: {
        ESB: Math.max(30, Math.round(26_000 * opts.scale)),
        SMB: Math.max(30, Math.round(42_000 * opts.scale)),
        MME: Math.max(30, Math.round(20_000 * opts.scale)),
      },
      nextVisitor: () => `vis_${(++visitors).toString(36).padStart(6, '0')}`,
      success: { aha: new Map(), events: 0 },
    };
    // The aha milestones existed before the history begins: every customer's window opens against them.
    await seedMilestones(tx, workspaceId, new Date(ctx.cal.start - 2 * AHA.windowDays * DAY));

    installBase(ctx, (segment) => companyOf(segment, ctx.rng.int(0, ctx.companyPool[segment] - 1)));
    await w.flush();

    ctx.rng = master.fork('leads');
    const leadsTotal = plannedLeads(ctx);
    // The traffic pass is about as long as the lead pass; its exact size is known once the leads are written.
    let total = leadsTotal * 2;
    const tally: ChatTally = new Map();
    let leads = 0;
    let leadConversations = 0;
    for (const plan of leadPlans(ctx, tally)) {
      simulateLead(ctx, plan);
      leads++;
      if (plan.chatWith) leadConversations++;
      if (leads % 1000 === 0) progress(leads, total, 'leads');
      await w.maybeFlush();
    }
    await w.flush();
    progress(leads, total, 'leads');

    ctx.rng = master.fork('traffic');
    const traffic = trafficPlan(tally, { leads, leadConversations });
    total = leads + traffic.total;
    await writeTraffic(ctx, tally, traffic, (n) => progress(leads + n, total, 'web traffic'));
    await w.flush();
    // Forks are drawn from the master in a fixed order: the live week's generator keeps its place (the surveys' came later).
    const routingRng = master.fork('routing');
    await writeSurveys(tx, ctx, master.fork('surveys'));

    progress(total, total, 'indexes');
    await bulk.finish();
    if (bulk.skippedForeignKeys) await markAllDirty(tx, workspaceId);
    // The tables were empty or small when PostgreSQL last looked: give the planner real sizes for the update.
    if (tx.kind === 'postgres') await tx.query('analyze accounts, contacts');
    await backdate(tx, ctx);
    // The present day, through the real pipeline: routing configured, the week's leads routed, qualified, handed off.
    await seedRoutingDemo(tx, { workspaceId, now: new Date(now), rng: routingRng });
    progress(total, total, 'done');
    return { workspaceId, slug, logins: demoLogins(DEMO_PASSWORD) };
  });
  // Fresh statistics so the first queries on the new rows get good plans (PGlite has no autovacuum to do it), then
  // the funnel rollups, so the first dashboard opens at once.
  await db.query(
    'analyze leads, opportunities, accounts, contacts, status_changes, web_events, activities, subscriptions, arr_movements, usage_events, buyer_surveys',
  );
  progress(1, 1, 'analytics');
  await refreshRollups(db, result.workspaceId);
  // Quotas are sized from the reps' actuals (read from the rollups just built), so they come last.
  progress(1, 1, 'quotas');
  await seedDemoQuotas(db, result.workspaceId, new Date(now));
  // Milestone states, the health history, success tasks and alerts, from the usage and surveys just written.
  progress(1, 1, 'customer success');
  await deriveSuccess(db, result.workspaceId, new Date(now));
  // Compensation reads all of the above (deals, quotas, milestones, churn, ratings): plans, levels, a run, closed months.
  progress(1, 1, 'compensation');
  await seedDemoComp(db, result.workspaceId, new Date(now));
  return result;
}

/** Moves accounts and contacts back to the first conversion that used them (see DemoContext.backdate). */
async function backdate(tx: Db, ctx: DemoContext) {
  for (const [table, moves] of Object.entries(ctx.backdate)) {
    if (!moves.size) continue;
    await tx.query(
      `update ${table} t set created_at = to_timestamp(x.at) from unnest($2::uuid[], $3::float8[]) as x(id, at)
        where t.workspace_id = $1 and t.id = x.id`,
      [ctx.workspaceId, [...moves.keys()], [...moves.values()].map((ms) => Math.round(ms / 1000))],
    );
  }
}
