import { DateTime } from 'luxon';
import type { Db } from '../../db/client.js';
import { DEFAULT_RAMP } from '../quotas/quotas.core.js';
import * as quotasRepo from '../quotas/quotas.repo.js';
import { addDays, firstDay, lastDay, monthOf, quarterBounds, quarterOf } from './dates.core.js';
import type {
  AcceptedLeadFact,
  Assignment,
  ChurnFact,
  CompFacts,
  Credit,
  DealFact,
  ExpansionFact,
  MilestoneFact,
  PlanVersion,
  QuotaFact,
  RatingFact,
  RetentionFact,
} from './facts.js';
import { planBook } from './plan.core.js';
import type { Component } from './plan.schema.js';

/**
 * Loads what the engine reads for one workspace, from the start of compensation (the earliest assignment) through a
 * month, as of `now`. Facts only a component in some plan needs are loaded only when such a plan exists.
 */

/** A local date's first instant in the timezone. */
const instantOf = (on: string, timezone: string) => DateTime.fromISO(on, { zone: timezone }).toJSDate();
const localDate = (column: string) => `to_char(${column} at time zone $2, 'YYYY-MM-DD')`;

export async function publishedPlans(db: Db, workspaceId: string): Promise<PlanVersion[]> {
  return db.query<PlanVersion>(
    `select key, version, effective_from as "effectiveFrom", effective_to as "effectiveTo", document
       from comp_plans where workspace_id = $1 and status = 'published' order by key, effective_from`,
    [workspaceId],
  );
}

export async function allAssignments(db: Db, workspaceId: string): Promise<Assignment[]> {
  return db.query<Assignment>(
    `select id, user_id as "userId", plan_key as "planKey", level, starts_on as "from", ends_on as "to"
       from comp_assignments where workspace_id = $1 order by user_id, starts_on`,
    [workspaceId],
  );
}

export type FactsScope = { workspaceId: string; timezone: string; currency: string; throughMonth: string; now: Date };

export async function loadFacts(db: Db, s: FactsScope, plans: PlanVersion[], assignments: Assignment[]): Promise<CompFacts> {
  const today = DateTime.fromJSDate(s.now, { zone: s.timezone }).toISODate()!;
  const compStart = assignments.map((a) => a.from).sort()[0] ?? firstDay(s.throughMonth);
  const end = addDays(lastDay(s.throughMonth), 1);
  const book = planBook(plans, assignments);
  const uses = (type: Component['type']) => book.peopleWith(type).length > 0;
  const usesSpif = (metric: string) => plans.some((p) => p.document.components.some((c) => c.type === 'spif' && c.metric === metric));

  const quotaRows = (await quotasRepo.listQuotas(db, s.workspaceId, { start: compStart, end: lastDay(s.throughMonth) }, null)).filter(
    (q) => q.metric === 'new_arr' || q.metric === 'grr',
  );
  const quotas: QuotaFact[] = quotaRows.map((q) => ({
    userId: q.userId,
    metric: q.metric as QuotaFact['metric'],
    start: q.periodStart,
    end: q.periodEnd,
    amount: q.amount,
  }));
  // Tiers count credited ARR from the start of the quota period (or calendar quarter) the first assignment falls in.
  const dealsFrom = [
    quarterBounds(quarterOf(compStart)).start,
    ...quotas.filter((q) => q.start <= compStart && compStart <= q.end).map((q) => q.start),
  ].sort()[0];
  const range = [s.workspaceId, s.timezone, instantOf(dealsFrom, s.timezone), instantOf(end, s.timezone)] as const;
  const eventRange = [s.workspaceId, s.timezone, instantOf(compStart, s.timezone), instantOf(end, s.timezone)] as const;

  const people = await quotasRepo.findUsers(db, s.workspaceId, null);
  const teams = await db.query<{ id: string; name: string; managerId: string | null }>(
    'select id, name, manager_id as "managerId" from teams where workspace_id = $1',
    [s.workspaceId],
  );
  const dealCredits = uses('commission') || uses('manager_override') || usesSpif('won_deals') || usesSpif('new_arr');
  const deals = dealCredits ? await loadDeals(db, range) : [];
  const dealsToo = deals.length > 0;
  return {
    timezone: s.timezone,
    currency: s.currency,
    today,
    throughMonth: s.throughMonth,
    ramp: (await quotasRepo.readRamp(db, s.workspaceId)) ?? DEFAULT_RAMP,
    plans,
    assignments,
    people: people.map((p) => ({ id: p.id, name: p.name, teamId: p.teamId, hireDate: p.hireDate, leftAt: p.leftAt })),
    teams,
    quotas,
    deals,
    milestones: dealsToo ? await loadMilestones(db, range) : [],
    churns: dealsToo ? await loadChurns(db, range) : [],
    ratings: dealsToo && uses('rating_accelerator') ? await loadRatings(db, range) : [],
    acceptedLeads: uses('per_unit') || usesSpif('accepted_leads') ? await loadAcceptedLeads(db, eventRange) : [],
    expansions: uses('expansion_commission') ? await loadExpansions(db, eventRange) : [],
    retention: await loadRetention(db, s, book.peopleWith('retention_bonus'), compStart, today),
  };
}

type Range = readonly [workspaceId: string, timezone: string, from: Date, to: Date];

/**
 * Won deals closed in the range with their credits: the owner at close (the "from" of the first owner change after
 * the close, else the owner now) gets 100% AE credit and the sourcing SDR 100% SDR credit, unless comp_credit_splits
 * has rows for the role.
 */
async function loadDeals(db: Db, range: Range): Promise<DealFact[]> {
  const rows = await db.query<DealFact & { ownerId: string | null; sdrId: string | null }>(
    `select o.id, o.name, o.account_id as "accountId", a.name as "accountName", o.segment, o.amount,
            o.closed_at as at, ${localDate('o.closed_at')} as on, o.owner_id as "ownerId", o.sdr_id as "sdrId"
       from opportunities o
       left join accounts a on a.id = o.account_id
      where o.workspace_id = $1 and o.stage = 'won' and o.closed_at >= $3 and o.closed_at < $4`,
    [...range],
  );
  const changes = await db.query<{ recordId: string; fromValue: string | null; changedAt: Date }>(
    `select record_id as "recordId", from_value as "fromValue", changed_at as "changedAt" from status_changes
      where workspace_id = $1 and record_type = 'opportunity' and field = 'owner' and changed_at >= $2 order by changed_at, id`,
    [range[0], range[2]],
  );
  const ownerChanges = new Map<string, { fromValue: string | null; changedAt: Date }[]>();
  for (const c of changes) {
    const list = ownerChanges.get(c.recordId);
    if (list) list.push(c);
    else ownerChanges.set(c.recordId, [c]);
  }
  const splits = await db.query<{ opportunityId: string; role: 'ae' | 'sdr'; userId: string; percent: string }>(
    `select opportunity_id as "opportunityId", role, user_id as "userId", percent from comp_credit_splits where workspace_id = $1 order by user_id`,
    [range[0]],
  );
  const splitsOf = new Map<string, Credit[]>();
  for (const sp of splits)
    splitsOf.set(sp.opportunityId, [...(splitsOf.get(sp.opportunityId) ?? []), { userId: sp.userId, role: sp.role, percent: sp.percent }]);

  return rows.map(({ ownerId, sdrId, ...deal }) => {
    const after = ownerChanges.get(deal.id)?.find((c) => c.changedAt.getTime() > new Date(deal.at).getTime());
    const owner = after ? after.fromValue : ownerId;
    const split = splitsOf.get(deal.id) ?? [];
    const credits: Credit[] = [];
    for (const role of ['ae', 'sdr'] as const) {
      const own = split.filter((c) => c.role === role);
      const fallback = role === 'ae' ? owner : sdrId;
      if (own.length) credits.push(...own);
      else if (fallback) credits.push({ userId: fallback, role, percent: '100' });
    }
    return { ...deal, at: new Date(deal.at), credits };
  });
}

async function loadMilestones(db: Db, range: Range): Promise<MilestoneFact[]> {
  return db.query<MilestoneFact>(
    `select am.account_id as "accountId", am.opportunity_id as "opportunityId", m.name, am.status,
            ${localDate('am.window_end')} as "windowEndOn", ${localDate('am.reached_at')} as "reachedOn",
            coalesce(am.decided_at, am.reached_at) as "decidedAt", ${localDate('coalesce(am.decided_at, am.reached_at)')} as "decidedOn",
            mc.missed_at as "missedAt", ${localDate('mc.missed_at')} as "missedOn"
       from account_milestones am
       join milestones m on m.id = am.milestone_id
       left join (select account_id, milestone_id, min(changed_at) as missed_at from account_milestone_changes
                   where workspace_id = $1 and to_status = 'missed' group by account_id, milestone_id) mc
              on mc.account_id = am.account_id and mc.milestone_id = am.milestone_id
      where am.workspace_id = $1 and am.window_end >= $3 and am.window_start < $4`,
    [...range],
  );
}

async function loadChurns(db: Db, range: Range): Promise<ChurnFact[]> {
  return db.query<ChurnFact>(
    `select m.account_id as "accountId", s.opportunity_id as "opportunityId", m.occurred_at as at, ${localDate('m.occurred_at')} as on
       from arr_movements m join subscriptions s on s.id = m.subscription_id
      where m.workspace_id = $1 and m.kind = 'churn' and m.occurred_at >= $3 and m.occurred_at < $4 order by m.occurred_at, m.id`,
    [...range],
  );
}

/** Every rating given before the end of the range: a rep's overall rating at a date averages all of them up to it. */
async function loadRatings(db: Db, range: Range): Promise<RatingFact[]> {
  return db.query<RatingFact>(
    `select opportunity_id as "opportunityId", rep_id as "repId", rating, rated_at as at, ${localDate('rated_at')} as on
       from buyer_surveys where workspace_id = $1 and rating is not null and rep_id is not null and rated_at < $3`,
    [range[0], range[1], range[3]],
  );
}

async function loadAcceptedLeads(db: Db, range: Range): Promise<AcceptedLeadFact[]> {
  return db.query<AcceptedLeadFact>(
    `select distinct on (h.lead_id) h.lead_id as "leadId", h.sdr_id as "sdrId", l.company, h.accepted_at as at, ${localDate('h.accepted_at')} as on,
            dq.at as "disqualifiedAt", ${localDate('dq.at')} as "disqualifiedOn"
       from handoffs h
       join leads l on l.id = h.lead_id
       left join lateral (select min(sc.changed_at) as at from status_changes sc
                           where sc.workspace_id = h.workspace_id and sc.record_type = 'lead' and sc.record_id = h.lead_id
                             and sc.field = 'status' and sc.to_value = 'disqualified' and sc.changed_at > h.accepted_at) dq on true
      where h.workspace_id = $1 and h.status = 'accepted' and h.sdr_id is not null and h.accepted_at >= $3 and h.accepted_at < $4
      order by h.lead_id, h.accepted_at`,
    [...range],
  );
}

/** Expansions of accounts that have a CSM: the account's CSM is credited. */
async function loadExpansions(db: Db, range: Range): Promise<ExpansionFact[]> {
  return db.query<ExpansionFact>(
    `select m.id::text as id, m.account_id as "accountId", a.name as "accountName", a.csm_id as "csmId", m.amount,
            m.occurred_at as at, ${localDate('m.occurred_at')} as on
       from arr_movements m join accounts a on a.id = m.account_id
      where m.workspace_id = $1 and m.kind = 'expansion' and a.csm_id is not null and m.occurred_at >= $3 and m.occurred_at < $4`,
    [...range],
  );
}

/**
 * GRR of each CSM's accounts for every calendar quarter that has ended, from the first assignment on: the quotas
 * module's retention (ARR at the start of the quarter, contraction and churn in it, over the accounts' current CSM).
 */
async function loadRetention(db: Db, s: FactsScope, csmIds: string[], compStart: string, today: string): Promise<RetentionFact[]> {
  if (!csmIds.length) return [];
  const out: RetentionFact[] = [];
  for (let q = quarterOf(compStart); ; ) {
    const { start, end } = quarterBounds(q);
    if (end >= today || monthOf(end) > s.throughMonth) break;
    const rows = await quotasRepo.retention(db, s.workspaceId, s.timezone, start, end, csmIds);
    for (const [csmId, r] of rows) out.push({ csmId, quarter: q, startArr: r.startArr, losses: r.losses });
    q = quarterOf(addDays(end, 1));
  }
  return out;
}
