import { createHash, randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { actorOf, type Principal } from '../../platform/auth/principal.js';
import { loadWorkspace } from '../analytics/funnel.service.js';
import { parseMonths, requireCompAdmin } from './access.js';
import { monthOf, monthsFrom, nextMonth } from './dates.core.js';
import { computeLines } from './engine.core.js';
import { allAssignments, loadFacts, publishedPlans } from './facts.repo.js';
import * as ledger from './ledger.repo.js';
import { byPeriod, placeLines, serialiseMonth } from './placement.core.js';
import { formatMoney, sumLines } from './rounding.js';

export type RunSummary = {
  runId: string | null;
  period: string;
  /** The months written or checked: every open month from the first open one through the period asked. */
  firstMonth: string | null;
  lastMonth: string | null;
  monthsWritten: number;
  monthsUnchanged: number;
  linesWritten: number;
  months: { month: string; lines: number; total: string; changed: boolean }[];
  message: string;
};

export type RunOptions = { force?: boolean; onProgress?: (message: string) => void };

/**
 * A comp run for a period (a month, quarter or year). It computes the whole ledger from the facts, from the first
 * assignment through the period's last month, and brings every open month from the first open one through that month
 * up to date: a month whose computed lines equal its current ones (same fingerprint) is left alone, any other gets
 * the new lines (earlier runs' lines stay, as history: the month's current run says which are shown). Closed months
 * are never written: what changed for them is booked in the first open month (placement.core.ts).
 *
 * Everything happens in one transaction under the workspace's comp lock: two runs never interleave, a run that fails
 * or is killed half-way leaves the ledger exactly as it was, and running twice writes nothing the second time.
 */
export async function runComp(
  db: Db,
  p: Principal,
  input: { period: string; force?: boolean },
  now: Date,
  opts: RunOptions = {},
): Promise<RunSummary> {
  requireCompAdmin(p);
  const asked = parseMonths(input.period);
  const w = await loadWorkspace(db, p.workspaceId);
  const actor = actorOf(p);
  const started = new Date();
  const force = input.force ?? opts.force ?? false;
  try {
    return await db.transaction(async (tx) => {
      await ledger.lockComp(tx, p.workspaceId);
      const plans = await publishedPlans(tx, p.workspaceId);
      const assignments = await allAssignments(tx, p.workspaceId);
      const compStart = assignments.map((a) => monthOf(a.from)).sort()[0];
      const lastClosed = await ledger.lastClosedMonth(tx, p.workspaceId);
      const firstOpen = lastClosed ? nextMonth(lastClosed) : compStart;
      const empty = (message: string): RunSummary => ({
        runId: null,
        period: asked.label,
        firstMonth: null,
        lastMonth: null,
        monthsWritten: 0,
        monthsUnchanged: 0,
        linesWritten: 0,
        months: [],
        message,
      });
      if (!firstOpen) return empty('No one is assigned a comp plan: nothing to compute.');
      if (!lastClosed && asked.last < firstOpen)
        return empty(`Compensation starts in ${firstOpen} (the first assignment): nothing before it.`);
      const lastMonth = asked.last > firstOpen ? asked.last : firstOpen;

      opts.onProgress?.(`computing ${firstOpen}..${lastMonth}`);
      const facts = await loadFacts(
        tx,
        { workspaceId: p.workspaceId, timezone: w.timezone, currency: w.currency, throughMonth: lastMonth, now },
        plans,
        assignments,
      );
      const ideal = computeLines(facts);
      const booked = lastClosed ? await ledger.bookedInClosedMonths(tx, p.workspaceId, lastClosed) : new Map();
      const money = (v: Parameters<typeof formatMoney>[0]) => formatMoney(v, w.currency);
      const firstOpenAt = DateTime.fromISO(`${firstOpen}-01`, { zone: w.timezone }).toJSDate();
      const perMonth = byPeriod(placeLines(ideal, booked, { firstOpen, last: lastMonth, firstOpenAt }, money));

      const runId = randomUUID();
      const months = monthsFrom(firstOpen, lastMonth);
      const current = new Map((await ledger.periods(tx, p.workspaceId)).map((r) => [r.month, r]));
      await ledger.insertRun(tx, {
        id: runId,
        workspaceId: p.workspaceId,
        period: asked.label,
        firstMonth: firstOpen,
        lastMonth,
        status: 'done',
        forced: force,
        fingerprint: null,
        monthsWritten: 0,
        monthsUnchanged: 0,
        linesWritten: 0,
        error: null,
        actorType: actor.actorType,
        actorId: actor.actorId,
        startedAt: started,
      });
      await ledger.ensurePeriods(tx, p.workspaceId, months);
      const summary: RunSummary = { ...empty(''), runId, firstMonth: firstOpen, lastMonth };
      const prints: string[] = [];
      for (const month of months) {
        const lines = perMonth.get(month) ?? [];
        const { json, fingerprint: print } = serialiseMonth(lines);
        prints.push(print);
        const changed = force || current.get(month)?.fingerprint !== print;
        summary.months.push({ month, lines: lines.length, total: sumLines(lines), changed });
        if (!changed) {
          summary.monthsUnchanged += 1;
          continue;
        }
        await ledger.insertRunLines(tx, p.workspaceId, runId, json);
        await ledger.setCurrentRun(tx, p.workspaceId, month, runId, print);
        summary.monthsWritten += 1;
        summary.linesWritten += lines.length;
        opts.onProgress?.(`wrote ${month}: ${lines.length} lines`);
      }
      const runPrint = createHash('sha256').update(prints.join('\n')).digest('hex');
      await tx.query(
        'update comp_runs set fingerprint = $2, months_written = $3, months_unchanged = $4, lines_written = $5 where id = $1',
        [runId, runPrint, summary.monthsWritten, summary.monthsUnchanged, summary.linesWritten],
      );
      await audit(tx, p, {
        workspaceId: p.workspaceId,
        action: 'comp.run',
        recordType: 'comp_run',
        recordId: runId,
        after: {
          period: asked.label,
          firstMonth: firstOpen,
          lastMonth,
          monthsWritten: summary.monthsWritten,
          linesWritten: summary.linesWritten,
        },
      });
      summary.message =
        summary.monthsWritten === 0
          ? `Nothing changed in ${firstOpen}..${lastMonth}: the ledger already holds these lines.`
          : `Wrote ${summary.linesWritten} lines in ${summary.monthsWritten} month(s) of ${firstOpen}..${lastMonth}; ${summary.monthsUnchanged} unchanged.`;
      return summary;
    });
  } catch (err) {
    // The transaction rolled back: record the failure on its own, so the run list says what happened.
    await ledger
      .insertRun(db, {
        workspaceId: p.workspaceId,
        period: asked.label,
        firstMonth: null,
        lastMonth: null,
        status: 'failed',
        forced: force,
        fingerprint: null,
        monthsWritten: 0,
        monthsUnchanged: 0,
        linesWritten: 0,
        error: err instanceof Error ? err.message.slice(0, 2000) : String(err),
        actorType: actor.actorType,
        actorId: actor.actorId,
        startedAt: started,
      })
      .catch(() => {});
    throw err;
  }
}

export async function listRuns(db: Db, p: Principal) {
  requireCompAdmin(p);
  return ledger.listRuns(db, p.workspaceId);
}
