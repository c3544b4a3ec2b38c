import { DateTime } from 'luxon';
import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError, conflict } from '../../platform/errors.js';
import { loadWorkspace } from '../analytics/funnel.service.js';
import { compScope, loadCompUser, parseMonths, refuseClosed, requireCompAdmin } from './access.js';
import { lastDay, monthsFrom, nextMonth } from './dates.core.js';
import * as ledger from './ledger.repo.js';
import { formatMoney } from './rounding.js';

/**
 * Closing: months close in order, and closing one locks it and every month before it. A closed month is never written
 * again: runs book what changes for it in the first open month, and manual adjustments must name an open month.
 */

export type PeriodInfo = {
  month: string;
  status: 'open' | 'closed';
  runId: string | null;
  closedAt: Date | null;
  closedBy: string | null;
  lines: number;
  total: string;
};

export async function listPeriods(db: Db, p: Principal): Promise<PeriodInfo[]> {
  compScope(p);
  return db.query<PeriodInfo>(
    `select to_char(p.period, 'YYYY-MM') as month, p.status, p.run_id as "runId", p.closed_at as "closedAt", p.closed_by as "closedBy",
            count(l.id)::int as lines, coalesce(sum(l.amount), 0)::numeric(16,2)::text as total
       from comp_periods p
       left join comp_ledger l on l.workspace_id = p.workspace_id and l.period = p.period and (l.run_id = p.run_id or l.run_id is null)
      where p.workspace_id = $1
      group by p.period, p.status, p.run_id, p.closed_at, p.closed_by
      order by p.period`,
    [p.workspaceId],
  );
}

/**
 * Closes a month or a quarter (its months in order), as of `now`. Refused when a month has not ended, when it was never
 * run, when it is already closed, or when an earlier month with lines is still open (close that one first). Earlier
 * months without lines close along with it.
 */
export async function closePeriod(db: Db, p: Principal, label: string, now: Date): Promise<{ closed: string[] }> {
  requireCompAdmin(p);
  const asked = parseMonths(label);
  const w = await loadWorkspace(db, p.workspaceId);
  const today = DateTime.fromJSDate(now, { zone: w.timezone }).toISODate()!;
  if (lastDay(asked.last) >= today)
    throw new AppError('conflict', `${asked.last} has not ended yet (today is ${today} in ${w.timezone}): a month closes once it is over`, [
      { path: 'period', message: 'not ended yet' },
    ]);
  return db.transaction(async (tx) => {
    await ledger.lockComp(tx, p.workspaceId);
    const lastClosed = await ledger.lastClosedMonth(tx, p.workspaceId);
    if (lastClosed && asked.last <= lastClosed) throw conflict(`${asked.label} is already closed (months up to ${lastClosed} are)`);
    const rows = await ledger.periods(tx, p.workspaceId);
    const firstKnown = rows[0]?.month;
    if (!firstKnown) throw conflict(`nothing to close: no comp run has written ${asked.label} yet (run it first)`);
    const from = lastClosed ? nextMonth(lastClosed) : firstKnown < asked.first ? firstKnown : asked.first;
    const months = monthsFrom(from, asked.last);
    const before = months.filter((m) => m < asked.first);
    const busy = await ledger.monthsWithLines(tx, p.workspaceId, before);
    if (busy.length)
      throw new AppError('conflict', `${busy[0]} is still open and has lines: close it first (months close in order)`, [
        { path: 'period', message: `close ${busy[0]} first` },
      ]);
    const byMonth = new Map(rows.map((r) => [r.month, r]));
    // Months before the first assignment have nothing a run could compute: they need no run to close.
    const [first] = await tx.query<{ month: string | null }>(
      `select to_char(min(starts_on), 'YYYY-MM') as month from comp_assignments where workspace_id = $1`,
      [p.workspaceId],
    );
    const neverRun = asked.months.filter((m) => first.month != null && m >= first.month && !byMonth.get(m)?.runId);
    if (neverRun.length)
      throw new AppError('conflict', `${neverRun[0]} was never run: run it before closing it`, [
        { path: 'period', message: `run ${neverRun[0]} first` },
      ]);
    await ledger.closeMonths(tx, p.workspaceId, months, p.userId, now);
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'comp.period.close',
      recordType: 'comp_period',
      recordId: asked.label,
      after: { closed: months },
    });
    return { closed: months };
  });
}

/**
 * A manual adjustment: a signed amount for a person in an open month, with the reason, audited. It is a ledger line
 * of its own (runs never replace it) and shows on the statement with who made it and why.
 */
export async function addAdjustment(
  db: Db,
  p: Principal,
  input: { userId: string; period: string; amount: string; reason: string; opportunityId?: string },
  now: Date,
) {
  requireCompAdmin(p);
  const user = await loadCompUser(db, p.workspaceId, input.userId);
  const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(input.period) ? input.period : null;
  if (!month) throw new AppError('validation_failed', 'period: a month, YYYY-MM', [{ path: 'period', message: 'a month, YYYY-MM' }]);
  const reason = input.reason.trim();
  if (reason.length < 3)
    throw new AppError('validation_failed', 'reason: say why', [{ path: 'reason', message: 'say why (at least 3 characters)' }]);
  if (input.opportunityId) {
    const [opp] = await db.query('select 1 from opportunities where workspace_id = $1 and id = $2', [p.workspaceId, input.opportunityId]);
    if (!opp) throw new AppError('not_found', 'no such opportunity in this workspace', [{ path: 'opportunityId', message: 'not found' }]);
  }
  const w = await loadWorkspace(db, p.workspaceId);
  return db.transaction(async (tx) => {
    await ledger.lockComp(tx, p.workspaceId);
    refuseClosed(await ledger.lastClosedMonth(tx, p.workspaceId), month, 'period', 'adjustments go into an open month');
    await ledger.ensurePeriods(tx, p.workspaceId, [month]);
    const amount = formatMoney(input.amount, w.currency);
    const id = await ledger.insertManualLine(tx, {
      workspaceId: p.workspaceId,
      userId: user.id,
      month,
      amount: input.amount,
      reason,
      opportunityId: input.opportunityId ?? null,
      createdBy: p.userId,
      arithmetic: `Manual adjustment of ${amount} by ${p.name}: ${reason}`,
      at: now,
    });
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'comp.adjustment',
      recordType: 'comp_ledger',
      recordId: String(id),
      after: { userId: user.id, period: month, amount: input.amount, reason, opportunityId: input.opportunityId ?? null },
    });
    const line = await ledger.findLine(tx, p.workspaceId, String(id));
    return line!;
  });
}
