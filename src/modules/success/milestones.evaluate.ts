import { isDeepStrictEqual } from 'node:util';
import type { Db } from '../../db/client.js';
import {
  type CompiledRule,
  compileRule,
  decide,
  emptyTally,
  evaluate,
  GRACE_MS,
  type MilestoneState,
  type Outcome,
  type Point,
  progressOf,
  type Rule,
  step,
  type UsageEvent,
  windowOf,
} from './milestones.core.js';
import * as repo from './milestones.repo.js';

/**
 * Evaluation against the database: new events applied incrementally at ingestion, windows opened, rows
 * re-evaluated from the stored events. Every path ends in `settle`, which decides the status with the same core
 * function, so incremental and from-scratch results can only differ if the core's `step` is wrong (tested).
 */

/** Rules compiled once per milestone for the duration of one call. */
function compiler() {
  const cache = new Map<string, CompiledRule>();
  return (milestoneId: string, rule: Rule) => {
    let c = cache.get(milestoneId);
    if (!c) {
      c = compileRule(rule);
      cache.set(milestoneId, c);
    }
    return c;
  };
}

const stateOf = (r: repo.StateRow): MilestoneState => ({
  status: r.status,
  reachedAt: r.reachedAt?.getTime() ?? null,
  crossingEventId: r.crossingEventId,
  decidedAt: r.decidedAt?.getTime() ?? null,
});
const crossingOf = (r: repo.StateRow): Point | null =>
  r.reachedAt && r.crossingEventId !== null ? { at: r.reachedAt.getTime(), id: r.crossingEventId } : null;

type RowKeys = Pick<repo.StateWrite, 'accountId' | 'milestoneId' | 'opportunityId' | 'windowStart' | 'windowEnd'>;

/** Collects the rows to write and the changes to record, then writes them in two statements. */
class Settlement {
  readonly writes: repo.StateWrite[] = [];
  readonly changes: repo.ChangeWrite[] = [];
  constructor(private readonly now: Date) {}

  /** The row's new state from an outcome; `prev` null for a row being opened. A row left as it was is not written. */
  settle(row: RowKeys, rule: Rule, prev: repo.StateRow | null, outcome: Outcome) {
    const { state, change } = decide(prev ? stateOf(prev) : null, outcome.crossing, row.windowEnd.getTime(), this.now.getTime());
    const write = { ...row, ...state, progress: progressOf(rule, outcome), evaluation: outcome.crossing ? null : outcome.evaluation };
    if (prev && !change && unchanged(prev, write)) return;
    this.writes.push(write);
    if (change) this.changes.push({ ...change, accountId: row.accountId, milestoneId: row.milestoneId });
  }

  async update(db: Db, workspaceId: string) {
    await repo.updateStates(db, this.writes, this.now);
    await repo.insertChanges(db, workspaceId, this.changes, this.now);
  }
}

// Deep equality whatever the key order: jsonb hands objects back with its own key order.
const unchanged = (prev: repo.StateRow, next: repo.StateWrite) =>
  prev.windowEnd.getTime() === next.windowEnd.getTime() &&
  (prev.decidedAt?.getTime() ?? null) === next.decidedAt &&
  isDeepStrictEqual(prev.progress, next.progress) &&
  isDeepStrictEqual(prev.evaluation, next.evaluation);

/**
 * Re-evaluates rows from their stored events (whole window), writing those whose state changed. `endOf` gives a
 * row's new window end when the milestone's window length changed.
 */
export async function reevaluate(db: Db, workspaceId: string, rows: repo.StateRow[], now: Date, endOf?: (r: repo.StateRow) => Date) {
  const compile = compiler();
  const windows = rows.map((r) => ({ row: r, end: endOf?.(r) ?? r.windowEnd }));
  const events = await repo.windowEvents(
    db,
    workspaceId,
    windows.map(({ row, end }) => ({ accountId: row.accountId, start: row.windowStart, end, upTo: null })),
  );
  const s = new Settlement(now);
  windows.forEach(({ row, end }, i) => {
    s.settle({ ...row, windowEnd: end }, row.rule, row, evaluate(compile(row.milestoneId, row.rule), events[i]));
  });
  await s.update(db, workspaceId);
}

/**
 * Applies newly stored events (each with its account) to the milestones of their accounts, inside the ingestion's
 * transaction. `rescan`: accounts whose older events were just linked to them, evaluated from the stored events.
 * Accounts without a milestone row that are customers get their window opened (evaluated from stored events,
 * which include this batch).
 */
export async function applyEvents(
  tx: Db,
  workspaceId: string,
  events: (UsageEvent & { accountId: string })[],
  rescan: Set<string>,
  now: Date,
) {
  const byAccount = new Map<string, UsageEvent[]>();
  for (const e of events) {
    const list = byAccount.get(e.accountId);
    if (list) list.push(e);
    else byAccount.set(e.accountId, [e]);
  }
  const accountIds = [...new Set([...byAccount.keys(), ...rescan])].sort();
  if (!accountIds.length) return;
  const rows = await repo.lockStates(tx, workspaceId, { accountIds });
  const have = new Set(rows.map((r) => r.accountId));
  const lacking = accountIds.filter((id) => !have.has(id));
  if (lacking.length) {
    // Opened from the stored events, which include this batch; an account opened meanwhile by another
    // transaction (which could not see this batch) takes the batch's events like any other row.
    const { skipped } = await openWindows(tx, workspaceId, lacking, now);
    if (skipped.length) rows.push(...(await repo.lockStates(tx, workspaceId, { accountIds: skipped })));
  }

  const compile = compiler();
  const s = new Settlement(now);
  const rescans: { row: repo.StateRow; upTo: Point | null }[] = [];
  for (const row of rows) {
    if (rescan.has(row.accountId)) {
      rescans.push({ row, upTo: null });
      continue;
    }
    const window = { start: row.windowStart.getTime(), end: row.windowEnd.getTime() };
    const standing = { crossing: crossingOf(row), evaluation: row.evaluation };
    const r = step(compile(row.milestoneId, row.rule), window, standing, byAccount.get(row.accountId) ?? []);
    if (r.kind === 'advanced') s.settle(row, row.rule, row, r.outcome);
    else if (r.kind === 'rescan') rescans.push({ row, upTo: r.upTo });
  }
  if (rescans.length) {
    const loaded = await repo.windowEvents(
      tx,
      workspaceId,
      rescans.map(({ row, upTo }) => ({ accountId: row.accountId, start: row.windowStart, end: row.windowEnd, upTo })),
    );
    const again: repo.StateRow[] = [];
    rescans.forEach(({ row, upTo }, i) => {
      const outcome = evaluate(compile(row.milestoneId, row.rule), loaded[i]);
      // Up to the old crossing the line is crossed again, at or before it; if not (its events were deleted), read it all.
      if (upTo && !outcome.crossing) again.push(row);
      else s.settle(row, row.rule, row, outcome);
    });
    if (again.length) await reevaluate(tx, workspaceId, again, now);
  }
  await s.update(tx, workspaceId);
}

/**
 * Opens the windows of customer accounts lacking one (all of the workspace's when `accountIds` is null), each
 * evaluated from its stored events. Returns how many were opened, and the accounts another transaction opened first.
 */
export async function openWindows(db: Db, workspaceId: string, accountIds: string[] | null, now: Date, limit?: number) {
  const found = await repo.candidates(db, workspaceId, accountIds, limit);
  if (!found.length) return { opened: 0, found: 0, skipped: [] as string[] };
  const timezone = await repo.workspaceTimezone(db, workspaceId);
  const compile = compiler();
  const opening = found.map((c) => ({ c, ...windowOf(c, c.windowDays, timezone) }));
  const events = await repo.windowEvents(
    db,
    workspaceId,
    opening.map((o) => ({ accountId: o.c.accountId, start: o.start, end: o.end, upTo: null })),
  );
  const s = new Settlement(now);
  opening.forEach((o, i) => {
    const row = {
      accountId: o.c.accountId,
      milestoneId: o.c.milestoneId,
      opportunityId: o.c.opportunityId,
      windowStart: o.start,
      windowEnd: o.end,
    };
    s.settle(row, o.c.rule, null, evaluate(compile(o.c.milestoneId, o.c.rule), events[i]));
  });
  const inserted = await repo.insertStates(db, workspaceId, s.writes, now);
  await repo.insertChanges(
    db,
    workspaceId,
    s.changes.filter((c) => inserted.has(c.accountId)),
    now,
  );
  return { opened: inserted.size, found: found.length, skipped: found.map((c) => c.accountId).filter((id) => !inserted.has(id)) };
}

/** Pending rows whose window and grace have passed become missed (their stored state is exact: no rescan needed). */
export async function markMissed(db: Db, now: Date): Promise<number> {
  const due = await repo.overdueAccounts(db, new Date(now.getTime() - GRACE_MS));
  const byWorkspace = new Map<string, string[]>();
  for (const d of due) byWorkspace.set(d.workspaceId, [...(byWorkspace.get(d.workspaceId) ?? []), d.accountId]);
  let missed = 0;
  for (const [workspaceId, accountIds] of byWorkspace)
    await db.transaction(async (tx) => {
      const s = new Settlement(now);
      for (const row of await repo.lockStates(tx, workspaceId, { accountIds })) {
        if (row.status !== 'pending' || row.windowEnd.getTime() + GRACE_MS > now.getTime()) continue;
        s.settle(row, row.rule, row, { crossing: null, evaluation: row.evaluation ?? { last: null, tally: emptyTally(row.rule) } });
      }
      missed += s.writes.length;
      await s.update(tx, workspaceId);
    });
  return missed;
}
