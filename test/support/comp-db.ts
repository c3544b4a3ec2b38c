import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/client.js';

/** Facts for comp service tests, written straight into the tables the engine reads (as the CRM and success modules would). */

export async function wonDeal(
  db: Db,
  workspaceId: string,
  o: { ownerId: string; sdrId?: string | null; amount: string; closedAt: string; name?: string; segment?: string },
): Promise<{ opportunityId: string; accountId: string; subscriptionId: string }> {
  const accountId = randomUUID();
  const opportunityId = randomUUID();
  const subscriptionId = randomUUID();
  const name = o.name ?? `Deal ${opportunityId.slice(0, 6)}`;
  await db.query('insert into accounts (id, workspace_id, name, owner_id) values ($1, $2, $3, $4)', [
    accountId,
    workspaceId,
    `${name} Inc`,
    o.ownerId,
  ]);
  await db.query(
    `insert into opportunities (id, workspace_id, name, account_id, stage, amount, owner_id, sdr_id, segment, closed_at, close_date)
     values ($1, $2, $3, $4, 'won', $5, $6, $7, $8, $9, ($9::timestamptz)::date)`,
    [opportunityId, workspaceId, name, accountId, o.amount, o.ownerId, o.sdrId ?? null, o.segment ?? 'SMB', o.closedAt],
  );
  await db.query(
    `insert into subscriptions (id, workspace_id, account_id, opportunity_id, arr, start_date, status) values ($1, $2, $3, $4, $5, ($6::timestamptz)::date, 'active')`,
    [subscriptionId, workspaceId, accountId, opportunityId, o.amount, o.closedAt],
  );
  await db.query(
    `insert into arr_movements (workspace_id, subscription_id, account_id, kind, amount, occurred_at) values ($1, $2, $3, 'new', $4, $5)`,
    [workspaceId, subscriptionId, accountId, o.amount, o.closedAt],
  );
  return { opportunityId, accountId, subscriptionId };
}

export async function churned(db: Db, workspaceId: string, d: { accountId: string; subscriptionId: string }, at: string, amount: string) {
  await db.query(
    `insert into arr_movements (workspace_id, subscription_id, account_id, kind, amount, occurred_at) values ($1, $2, $3, 'churn', $4, $5)`,
    [workspaceId, d.subscriptionId, d.accountId, amount, at],
  );
}

/** The account's aha milestone: pending with a window, or reached (learned at `decidedAt`). */
export async function ahaMilestone(
  db: Db,
  workspaceId: string,
  d: { accountId: string; opportunityId: string },
  o: { windowStart: string; windowEnd: string; reachedAt?: string; decidedAt?: string },
) {
  const [m] = await db.query<{ id: string }>(
    `insert into milestones (workspace_id, name, rule) values ($1, 'Five features', '{"all":[]}')
     on conflict (workspace_id, name) do update set name = excluded.name returning id`,
    [workspaceId],
  );
  await db.query(
    `insert into account_milestones (workspace_id, account_id, milestone_id, opportunity_id, window_start, window_end, status, reached_at, decided_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     on conflict (account_id, milestone_id) do update set status = excluded.status, reached_at = excluded.reached_at, decided_at = excluded.decided_at`,
    [
      workspaceId,
      d.accountId,
      m.id,
      d.opportunityId,
      o.windowStart,
      o.windowEnd,
      o.reachedAt ? 'reached' : 'pending',
      o.reachedAt ?? null,
      o.decidedAt ?? o.reachedAt ?? null,
    ],
  );
}

export async function newArrQuota(db: Db, workspaceId: string, userId: string, start: string, end: string, amount: string) {
  await db.query(
    `insert into quotas (workspace_id, user_id, metric, period_kind, period_start, period_end, amount) values ($1, $2, 'new_arr', 'quarter', $3, $4, $5)`,
    [workspaceId, userId, start, end, amount],
  );
}

/** The ledger as comparable rows: everything but ids, run ids and creation times. */
export async function ledgerRows(db: Db, workspaceId: string, currentOnly = false) {
  return db.query<Record<string, unknown>>(
    `select to_char(l.period, 'YYYY-MM') as period, to_char(l.event_period, 'YYYY-MM') as event_period, l.user_id, l.kind, l.line_key, l.component,
            l.rule, l.plan_key, l.plan_version, l.opportunity_id, l.account_id, l.lead_id, l.amount, l.event_at, l.inputs, l.arithmetic, l.reason
       from comp_ledger l join comp_periods p on p.workspace_id = l.workspace_id and p.period = l.period
      where l.workspace_id = $1 ${currentOnly ? 'and (l.run_id = p.run_id or l.run_id is null)' : ''}
      order by l.id`,
    [workspaceId],
  );
}

export const AE_PLAN = {
  key: 'ae-test',
  name: 'AE test plan',
  roles: ['ae'],
  components: [
    {
      type: 'commission',
      id: 'new-arr',
      credit: 'ae',
      rate: '10',
      tranches: [
        { on: 'signing', percent: 50 },
        { on: 'aha_milestone', percent: 50, onMissed: 'forfeit', onChurn: 'forfeit' },
      ],
    },
    { type: 'churn_clawback', id: 'churn-90', appliesTo: ['new-arr'], withinDays: 90 },
  ],
};
