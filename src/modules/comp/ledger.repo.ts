import type { Db } from '../../db/client.js';
import type { LineKind } from './facts.js';
import type { BookedMap } from './placement.core.js';

/**
 * The ledger tables: comp_periods (status and current run per month), comp_runs, comp_ledger (append-only: this
 * module only ever inserts). Months are passed as YYYY-MM and stored as their first day.
 */

/** Serialises comp work per workspace (runs, closing, adjustments), for the length of the caller's transaction. */
const COMP_LOCK = 7_245_007;
export async function lockComp(tx: Db, workspaceId: string) {
  await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [COMP_LOCK, workspaceId]);
}

export type PeriodRow = {
  month: string;
  status: 'open' | 'closed';
  runId: string | null;
  fingerprint: string | null;
  closedAt: Date | null;
  closedBy: string | null;
};

export async function periods(db: Db, workspaceId: string): Promise<PeriodRow[]> {
  return db.query<PeriodRow>(
    `select to_char(period, 'YYYY-MM') as month, status, run_id as "runId", fingerprint, closed_at as "closedAt", closed_by as "closedBy"
       from comp_periods where workspace_id = $1 order by period`,
    [workspaceId],
  );
}

/** The last closed month (YYYY-MM), or null: every month up to it is closed. */
export async function lastClosedMonth(db: Db, workspaceId: string): Promise<string | null> {
  const [row] = await db.query<{ month: string | null }>(
    `select to_char(max(period), 'YYYY-MM') as month from comp_periods where workspace_id = $1 and status = 'closed'`,
    [workspaceId],
  );
  return row?.month ?? null;
}

export async function ensurePeriods(tx: Db, workspaceId: string, months: string[]) {
  if (!months.length) return;
  await tx.query(
    `insert into comp_periods (workspace_id, period) select $1, (m || '-01')::date from unnest($2::text[]) m on conflict do nothing`,
    [workspaceId, months],
  );
}

export async function setCurrentRun(tx: Db, workspaceId: string, month: string, runId: string, fingerprint: string) {
  await tx.query(`update comp_periods set run_id = $3, fingerprint = $4 where workspace_id = $1 and period = ($2 || '-01')::date`, [
    workspaceId,
    month,
    runId,
    fingerprint,
  ]);
}

export async function closeMonths(tx: Db, workspaceId: string, months: string[], by: string | null, at: Date) {
  await ensurePeriods(tx, workspaceId, months);
  await tx.query(
    `update comp_periods set status = 'closed', closed_at = $3, closed_by = $4
      where workspace_id = $1 and period = any(select (m || '-01')::date from unnest($2::text[]) m) and status = 'open'`,
    [workspaceId, months, at, by],
  );
}

/** Months that have current lines (run or manual), among those given. */
export async function monthsWithLines(db: Db, workspaceId: string, months: string[]): Promise<string[]> {
  const rows = await db.query<{ month: string }>(
    `select distinct to_char(l.period, 'YYYY-MM') as month
       from comp_ledger l join comp_periods p on p.workspace_id = l.workspace_id and p.period = l.period
      where l.workspace_id = $1 and l.period = any(select (m || '-01')::date from unnest($2::text[]) m)
        and (l.run_id = p.run_id or l.run_id is null)`,
    [workspaceId, months],
  );
  return rows.map((r) => r.month);
}

/** Per person and line key, what the current lines of closed months add up to (manual adjustments aside: they have no key the engine makes). */
export async function bookedInClosedMonths(db: Db, workspaceId: string, lastClosed: string): Promise<BookedMap> {
  const rows = await db.query<{
    userId: string;
    key: string;
    sum: string;
    kind: LineKind;
    month: string;
    component: string;
    rule: string;
    planKey: string | null;
    planVersion: number | null;
    opportunityId: string | null;
    accountId: string | null;
    leadId: string | null;
  }>(
    `select l.user_id as "userId", l.line_key as key, sum(l.amount)::numeric(16,2)::text as sum,
            (array_agg(l.kind order by l.id))[1] as kind, (array_agg(to_char(coalesce(l.event_period, l.period), 'YYYY-MM') order by l.id))[1] as month,
            (array_agg(l.component order by l.id))[1] as component, (array_agg(l.rule order by l.id))[1] as rule,
            (array_agg(l.plan_key order by l.id))[1] as "planKey", (array_agg(l.plan_version order by l.id))[1] as "planVersion",
            (array_agg(l.opportunity_id order by l.id))[1] as "opportunityId", (array_agg(l.account_id order by l.id))[1] as "accountId",
            (array_agg(l.lead_id order by l.id))[1] as "leadId"
       from comp_ledger l join comp_periods p on p.workspace_id = l.workspace_id and p.period = l.period and p.run_id = l.run_id
      where l.workspace_id = $1 and l.period <= ($2 || '-01')::date
      group by l.user_id, l.line_key`,
    [workspaceId, lastClosed],
  );
  const out: BookedMap = new Map();
  for (const r of rows)
    out.set(`${r.userId}|${r.key}`, {
      sum: r.sum,
      sample: {
        kind: r.kind,
        month: r.month,
        component: r.component,
        rule: r.rule,
        planKey: r.planKey,
        planVersion: r.planVersion,
        opportunityId: r.opportunityId,
        accountId: r.accountId,
        leadId: r.leadId,
      },
    });
  return out;
}

/** Each key of a stored line (placement.core.ts StoredLine) with its column and type, for json_to_recordset. */
const STORED: [key: string, column: string, type: string][] = [
  ['p', 'period', 'date'],
  ['ep', 'event_period', 'date'],
  ['u', 'user_id', 'uuid'],
  ['k', 'kind', 'text'],
  ['lk', 'line_key', 'text'],
  ['c', 'component', 'text'],
  ['r', 'rule', 'text'],
  ['pk', 'plan_key', 'text'],
  ['pv', 'plan_version', 'int'],
  ['o', 'opportunity_id', 'uuid'],
  ['a', 'account_id', 'uuid'],
  ['l', 'lead_id', 'uuid'],
  ['amt', 'amount', 'numeric'],
  ['at', 'event_at', 'timestamptz'],
  ['i', 'inputs', 'jsonb'],
  ['ar', 'arithmetic', 'text'],
];
const INSERT_LINES = `insert into comp_ledger (workspace_id, run_id, ${STORED.map(([, c]) => c).join(', ')})
  select $1, $2, ${STORED.map(([k]) => `t.${k}`).join(', ')} from json_to_recordset($3::json) as t(${STORED.map(([k, , type]) => `${k} ${type}`).join(', ')})`;

/**
 * Appends one month's lines of a run, given as the JSON array of their stored form. One text parameter per statement:
 * serialising it is a single native JSON.stringify, far cheaper than one array parameter per column.
 */
export async function insertRunLines(tx: Db, workspaceId: string, runId: string, json: string) {
  await tx.query(INSERT_LINES, [workspaceId, runId, json]);
}

export type RunRow = {
  id: string;
  period: string;
  firstMonth: string | null;
  lastMonth: string | null;
  status: 'done' | 'failed';
  forced: boolean;
  fingerprint: string | null;
  monthsWritten: number;
  monthsUnchanged: number;
  linesWritten: number;
  error: string | null;
  actorType: string;
  actorId: string | null;
  startedAt: Date;
  finishedAt: Date;
};

const RUN_COLS = `id, period, to_char(first_month, 'YYYY-MM') as "firstMonth", to_char(last_month, 'YYYY-MM') as "lastMonth", status, forced,
  fingerprint, months_written as "monthsWritten", months_unchanged as "monthsUnchanged",
  lines_written as "linesWritten", error, actor_type as "actorType", actor_id as "actorId", started_at as "startedAt", finished_at as "finishedAt"`;

export async function insertRun(tx: Db, r: Omit<RunRow, 'id' | 'finishedAt'> & { id?: string; workspaceId: string }): Promise<RunRow> {
  const [row] = await tx.query<RunRow>(
    `insert into comp_runs (id, workspace_id, period, first_month, last_month, status, forced, fingerprint, months_written,
            months_unchanged, lines_written, error, actor_type, actor_id, started_at)
     values (coalesce($1::uuid, gen_random_uuid()), $2, $3, ($4 || '-01')::date, ($5 || '-01')::date, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     returning ${RUN_COLS}`,
    [
      r.id ?? null,
      r.workspaceId,
      r.period,
      r.firstMonth,
      r.lastMonth,
      r.status,
      r.forced,
      r.fingerprint,
      r.monthsWritten,
      r.monthsUnchanged,
      r.linesWritten,
      r.error,
      r.actorType,
      r.actorId,
      r.startedAt,
    ],
  );
  return row;
}

export async function listRuns(db: Db, workspaceId: string, limit = 50): Promise<RunRow[]> {
  return db.query<RunRow>(`select ${RUN_COLS} from comp_runs where workspace_id = $1 order by started_at desc, id limit $2`, [
    workspaceId,
    limit,
  ]);
}

export type LedgerLine = {
  id: number;
  runId: string | null;
  period: string;
  eventPeriod: string | null;
  userId: string;
  kind: LineKind;
  key: string;
  component: string;
  rule: string;
  planKey: string | null;
  planVersion: number | null;
  opportunityId: string | null;
  opportunityName: string | null;
  accountId: string | null;
  accountName: string | null;
  leadId: string | null;
  amount: string;
  eventAt: Date;
  inputs: Record<string, unknown>;
  arithmetic: string;
  reason: string | null;
  createdBy: string | null;
  createdAt: Date;
};

const LINE_SELECT = `select l.id, l.run_id as "runId", to_char(l.period, 'YYYY-MM') as period, to_char(l.event_period, 'YYYY-MM') as "eventPeriod",
       l.user_id as "userId", l.kind, l.line_key as key, l.component, l.rule, l.plan_key as "planKey", l.plan_version as "planVersion",
       l.opportunity_id as "opportunityId", o.name as "opportunityName", l.account_id as "accountId", a.name as "accountName",
       l.lead_id as "leadId", l.amount, l.event_at as "eventAt", l.inputs, l.arithmetic, l.reason, l.created_by as "createdBy", l.created_at as "createdAt"
  from comp_ledger l
  join comp_periods p on p.workspace_id = l.workspace_id and p.period = l.period
  left join opportunities o on o.id = l.opportunity_id
  left join accounts a on a.id = l.account_id`;

/** The current lines of people over a range of months (runs' lines of each month's current run, and manual ones). */
export async function currentLines(db: Db, workspaceId: string, userIds: string[], from: string, to: string): Promise<LedgerLine[]> {
  return db.query<LedgerLine>(
    `${LINE_SELECT}
      where l.workspace_id = $1 and l.user_id = any($2::uuid[]) and l.period between ($3 || '-01')::date and ($4 || '-01')::date
        and (l.run_id = p.run_id or l.run_id is null)
      order by l.period, l.user_id, l.event_at, l.id`,
    [workspaceId, userIds, from, to],
  );
}

/** Current release and forfeit lines of a person, any month: what became of their holds. */
export async function holdHistory(db: Db, workspaceId: string, userId: string): Promise<LedgerLine[]> {
  return db.query<LedgerLine>(
    `${LINE_SELECT}
      where l.workspace_id = $1 and l.user_id = $2 and l.kind in ('release', 'forfeit', 'hold')
        and (l.run_id = p.run_id or l.run_id is null)
      order by l.period, l.id`,
    [workspaceId, userId],
  );
}

/** One line by id, current or not (an older run's line still explains what was shown then). */
export async function findLine(db: Db, workspaceId: string, id: string): Promise<(LedgerLine & { current: boolean }) | undefined> {
  const [row] = await db.query<LedgerLine & { current: boolean }>(
    `${LINE_SELECT.replace('l.created_at as "createdAt"', 'l.created_at as "createdAt", (l.run_id = p.run_id or l.run_id is null) as current')}
      where l.workspace_id = $1 and l.id = $2`,
    [workspaceId, id],
  );
  return row;
}

export async function insertManualLine(
  tx: Db,
  l: {
    workspaceId: string;
    userId: string;
    month: string;
    amount: string;
    reason: string;
    opportunityId: string | null;
    createdBy: string | null;
    arithmetic: string;
    at: Date;
  },
): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    `insert into comp_ledger (workspace_id, run_id, period, user_id, kind, line_key, component, rule, opportunity_id, amount, event_at,
            inputs, arithmetic, reason, created_by)
     values ($1, null, ($2 || '-01')::date, $3, 'adjustment', 'manual:' || gen_random_uuid(), 'manual', 'manual_adjustment', $4, $5, $6,
            jsonb_build_object('reason', $7::text), $8, $7, $9)
     returning id`,
    [l.workspaceId, l.month, l.userId, l.opportunityId, l.amount, l.at, l.reason, l.arithmetic, l.createdBy],
  );
  return row.id;
}
