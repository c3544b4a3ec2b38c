import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { requirePermission } from '../../platform/auth/authenticate.js';
import type { Principal } from '../../platform/auth/principal.js';
import { conflict, invalid } from '../../platform/errors.js';
import { withIdempotency } from '../../platform/http/idempotency.js';
import { Decimal, money } from '../../platform/money.js';
import { loadWorkspace } from '../analytics/funnel.service.js';
import { subscriptions } from '../crm/crm.resources.js';
import { updateSubscription } from '../crm/deals.service.js';
import { getFor } from '../crm/records.service.js';
import { dataScope } from '../org/org.core.js';
import { addDays, type Band, daysBetween, localDay } from './health.core.js';
import type { renewalPost } from './health.schema.js';
import { loadSettings } from './health.service.js';
import {
  type Bucket,
  bucketOf,
  expectedArr,
  forecast,
  nextRenewalDate,
  probabilityOf,
  type RenewalWindow,
  renewalMovements,
} from './renewals.core.js';

const LIVE = ['active', 'trialing'];

type PipelineRow = {
  id: string;
  accountId: string;
  accountName: string;
  csmId: string | null;
  ownerId: string | null;
  plan: string | null;
  arr: string;
  seats: number | null;
  renewalDate: string;
  status: string;
  score: number | null;
  band: Band | null;
};

/**
 * Live subscriptions renewing within the window (overdue ones included), bucketed by days to renewal, each with
 * the renewal probability of its account's latest health band and its expected ARR; totals per bucket.
 * Scoped like accounts: a CSM sees the renewals of the accounts they own or look after, a manager their teams'.
 */
export async function renewalsPipeline(db: Db, p: Principal, q: { window: RenewalWindow }, now: Date) {
  requirePermission(p, 'crm:read');
  const { timezone } = await loadWorkspace(db, p.workspaceId);
  const settings = await loadSettings(db, p.workspaceId);
  const today = localDay(now, timezone);
  const scope = dataScope(p, 'read');
  const rows = await db.query<PipelineRow>(
    `select s.id, s.account_id as "accountId", a.name as "accountName", a.csm_id as "csmId", a.owner_id as "ownerId", s.plan,
            s.arr, s.seats, s.renewal_date as "renewalDate", s.status, h.score, h.band
       from subscriptions s join accounts a on a.id = s.account_id
       left join lateral (
         select x.score, x.band from account_health x where x.account_id = s.account_id order by x.day desc limit 1) h on true
      where s.workspace_id = $1 and s.status = any($2::text[]) and s.renewal_date <= $3::date
        and ($4::uuid[] is null or a.owner_id = any($4::uuid[]) or a.csm_id = any($4::uuid[]))
      order by s.renewal_date, a.name, s.id`,
    [p.workspaceId, LIVE, addDays(today, q.window), scope.all ? null : scope.ownerIds],
  );
  const items = rows.map((r) => {
    const daysUntil = daysBetween(today, r.renewalDate);
    const probability = probabilityOf(r.band, settings.renewalProbability);
    return {
      ...r,
      daysUntil,
      bucket: bucketOf(daysUntil) as Bucket,
      probability: probability.toString(),
      expectedArr: expectedArr(r.arr, probability),
    };
  });
  return { window: q.window, today, ...forecast(items, q.window), items };
}

export type RenewalInput = z.infer<typeof renewalPost>;

/**
 * Records the outcome of a renewal, in one transaction through the subscription update (which records the status
 * history, the expansion, contraction or churn movement and the audit):
 * - renewed: the ARR of the new term (default unchanged) and the next renewal date (default one year on); a
 *   'renewal' movement carries the ARR renewed (the smaller of old and new), the update the difference;
 * - churned: the subscription becomes churned, its whole ARR a churn movement.
 * An Idempotency-Key makes a retried click record it once.
 */
export async function recordRenewal(db: Db, p: Principal, subscriptionId: string, input: RenewalInput, key: string | undefined, now: Date) {
  const { timezone } = await loadWorkspace(db, p.workspaceId);
  const today = localDay(now, timezone);
  return withIdempotency(db, p.workspaceId, key, { subscriptionId, input }, async (tx) => {
    const sub = await getFor(tx, p, subscriptions, subscriptionId, 'write', true);
    const status = sub.status as string;
    if (!LIVE.includes(status)) throw conflict(`This subscription is ${status}: only a live subscription renews or churns`, { status });
    const oldArr = sub.arr as string;
    const oldDate = (sub.renewalDate as string | null) ?? null;

    if (input.outcome === 'churned') {
      const after = await updateSubscription(tx, p, subscriptionId, { status: 'churned' });
      await audit(tx, p, {
        workspaceId: p.workspaceId,
        action: 'subscription.churn',
        recordType: 'subscription',
        recordId: subscriptionId,
        before: { status, arr: oldArr },
        after: { status: 'churned', reason: input.reason ?? null },
      });
      return { statusCode: 200, body: { subscription: after, movements: [{ kind: 'churn', amount: money(oldArr) }] } };
    }

    const newArr = money(input.arr ?? oldArr);
    if (new Decimal(newArr).lte(0)) throw invalid('arr', 'must be above zero: a renewal at nothing is a churn');
    const renewalDate = input.renewalDate ?? nextRenewalDate(oldDate, today);
    if (oldDate && renewalDate <= oldDate) throw invalid('renewalDate', `must be after the current renewal date (${oldDate})`);
    if (renewalDate <= today) throw invalid('renewalDate', 'must be in the future');
    const m = renewalMovements(oldArr, newArr);
    const after = await updateSubscription(tx, p, subscriptionId, { arr: newArr, renewalDate });
    await tx.query(
      `insert into arr_movements (workspace_id, subscription_id, account_id, kind, amount, occurred_at, actor_id)
       values ($1, $2, $3, 'renewal', $4, now(), $5)`,
      [p.workspaceId, subscriptionId, sub.accountId, m.renewal, p.userId],
    );
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'subscription.renewal',
      recordType: 'subscription',
      recordId: subscriptionId,
      before: { arr: oldArr, renewalDate: oldDate },
      after: { arr: newArr, renewalDate },
    });
    const movements = [
      { kind: 'renewal', amount: m.renewal },
      ...(m.expansion ? [{ kind: 'expansion', amount: m.expansion }] : []),
      ...(m.contraction ? [{ kind: 'contraction', amount: m.contraction }] : []),
    ];
    return { statusCode: 200, body: { subscription: after, movements } };
  });
}
