import type { Db } from '../../db/client.js';
import type { PeriodKind, QuotaMetric } from './quotas.core.js';

export type QuotaRow = {
  id: string;
  workspaceId: string;
  userId: string;
  metric: QuotaMetric;
  periodKind: PeriodKind;
  periodStart: string;
  periodEnd: string;
  amount: string;
  note: string | null;
  createdAt: Date;
  updatedAt: Date;
};

const COLS = `id, workspace_id as "workspaceId", user_id as "userId", metric, period_kind as "periodKind",
  period_start as "periodStart", period_end as "periodEnd", amount, note, created_at as "createdAt", updated_at as "updatedAt"`;

export type QuotaUser = {
  id: string;
  name: string;
  email: string;
  roles: string[];
  teamId: string | null;
  teamName: string | null;
  hireDate: string | null;
  leftAt: string | null;
};

/**
 * People with the dates their quota depends on. A deactivated user without a leaving date is taken to have
 * left on the day of their last update (deactivation is such an update), so they do not keep a full quota.
 */
export async function findUsers(db: Db, workspaceId: string, ids: string[] | null, teamId?: string | null): Promise<QuotaUser[]> {
  return db.query<QuotaUser>(
    `select u.id, u.name, u.email, u.roles, u.team_id as "teamId", t.name as "teamName", u.hire_date as "hireDate",
            coalesce(u.left_at, case when not u.active then u.updated_at::date end) as "leftAt"
       from users u left join teams t on t.id = u.team_id
      where u.workspace_id = $1 and ($2::uuid[] is null or u.id = any($2::uuid[])) and ($3::uuid is null or u.team_id = $3)
      order by u.name`,
    [workspaceId, ids, teamId ?? null],
  );
}

export async function findQuota(db: Db, workspaceId: string, id: string): Promise<QuotaRow | undefined> {
  const [row] = await db.query<QuotaRow>(`select ${COLS} from quotas where workspace_id = $1 and id = $2`, [workspaceId, id]);
  return row;
}

/** The same user and metric's quotas whose period shares a day with [start, end] (the one being set included). */
export async function overlapping(db: Db, workspaceId: string, userId: string, metric: QuotaMetric, start: string, end: string) {
  return db.query<QuotaRow>(
    `select ${COLS} from quotas where workspace_id = $1 and user_id = $2 and metric = $3 and period_start <= $5 and period_end >= $4
      for update`,
    [workspaceId, userId, metric, start, end],
  );
}

export async function insertQuota(
  db: Db,
  q: {
    workspaceId: string;
    userId: string;
    metric: QuotaMetric;
    periodKind: PeriodKind;
    periodStart: string;
    periodEnd: string;
    amount: string;
    note: string | null;
  },
): Promise<QuotaRow> {
  const [row] = await db.query<QuotaRow>(
    `insert into quotas (workspace_id, user_id, metric, period_kind, period_start, period_end, amount, note)
     values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${COLS}`,
    [q.workspaceId, q.userId, q.metric, q.periodKind, q.periodStart, q.periodEnd, q.amount, q.note],
  );
  return row;
}

export async function updateQuota(db: Db, id: string, amount: string, note: string | null): Promise<QuotaRow> {
  const [row] = await db.query<QuotaRow>(`update quotas set amount = $2, note = $3, updated_at = now() where id = $1 returning ${COLS}`, [
    id,
    amount,
    note,
  ]);
  return row;
}

export async function deleteQuota(db: Db, id: string) {
  await db.query('delete from quotas where id = $1', [id]);
}

/** Quotas sharing a day with the range, for the given users (null: everyone), by user then period. */
export async function listQuotas(db: Db, workspaceId: string, range: { start: string; end: string } | null, userIds: string[] | null) {
  return db.query<QuotaRow>(
    `select ${COLS} from quotas
      where workspace_id = $1 and ($2::date is null or (period_start <= $3 and period_end >= $2))
        and ($4::uuid[] is null or user_id = any($4::uuid[]))
      order by user_id, metric, period_start, period_kind`,
    [workspaceId, range?.start ?? null, range?.end ?? null, userIds],
  );
}

export async function readRamp(db: Db, workspaceId: string): Promise<number[] | null> {
  const [row] = await db.query<{ ramp: number[] }>('select ramp from quota_settings where workspace_id = $1', [workspaceId]);
  return row ? row.ramp.map(Number) : null;
}

export async function writeRamp(db: Db, workspaceId: string, ramp: number[]) {
  await db.query(
    `insert into quota_settings (workspace_id, ramp) values ($1, $2::smallint[])
     on conflict (workspace_id) do update set ramp = excluded.ramp, updated_at = now()`,
    [workspaceId, ramp],
  );
}

/** Handoffs accepted by AEs in the range of local dates, per SDR: the `accepted_leads` actual. */
export async function acceptedLeads(db: Db, workspaceId: string, timezone: string, start: string, end: string, sdrIds: string[]) {
  const rows = await db.query<{ sdrId: string; n: number }>(
    `select sdr_id as "sdrId", count(*)::int as n from handoffs
      where workspace_id = $1 and sdr_id = any($5::uuid[]) and accepted_at is not null
        and (accepted_at at time zone $2)::date between $3::date and $4::date
      group by sdr_id`,
    [workspaceId, timezone, start, end, sdrIds],
  );
  return new Map(rows.map((r) => [r.sdrId, r.n]));
}

/**
 * Per CSM (the accounts' current CSM): ARR at the start of the period (new + expansion - contraction - churn before
 * it) and the part of it lost in the period (contraction + churn, at most the account's start ARR: ARR gained and
 * lost inside the period was never at the start). Accounts without ARR at the start are left out.
 */
export async function retention(db: Db, workspaceId: string, timezone: string, start: string, end: string, csmIds: string[]) {
  const rows = await db.query<{ csmId: string; startArr: string; losses: string }>(
    `with bounds as (select ($3::date)::timestamp at time zone $2 as t0, ($4::date + 1)::timestamp at time zone $2 as t1),
     per_account as (
       select a.csm_id,
              coalesce(sum(m.amount * case when m.occurred_at < b.t0 then
                case m.kind when 'new' then 1 when 'expansion' then 1 when 'contraction' then -1 when 'churn' then -1 else 0 end
                else 0 end), 0) as start_arr,
              coalesce(sum(m.amount * case when m.occurred_at >= b.t0 and m.kind in ('contraction', 'churn') then 1 else 0 end), 0) as losses
         from accounts a cross join bounds b
         join arr_movements m on m.workspace_id = a.workspace_id and m.account_id = a.id and m.occurred_at < b.t1
        where a.workspace_id = $1 and a.csm_id = any($5::uuid[])
        group by a.id, a.csm_id)
     select csm_id as "csmId", sum(start_arr)::numeric(16,2) as "startArr", sum(least(losses, start_arr))::numeric(16,2) as losses
       from per_account where start_arr > 0 group by csm_id`,
    [workspaceId, timezone, start, end, csmIds],
  );
  return new Map(rows.map((r) => [r.csmId, r]));
}
