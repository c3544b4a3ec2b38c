import type {
  AcceptedLeadFact,
  Assignment,
  ChurnFact,
  CompFacts,
  Credit,
  DealFact,
  MilestoneFact,
  PlanVersion,
  RatingFact,
} from '../../src/modules/comp/facts.js';
import { type Component, type PlanDocument, planDocument } from '../../src/modules/comp/plan.schema.js';

/** Builders for the engine's golden tests: facts in UTC, events at noon of their day unless a time is given. */
export const at = (on: string, time = '12:00:00') => new Date(`${on}T${time}Z`);

export function facts(over: Partial<CompFacts> = {}): CompFacts {
  return {
    timezone: 'UTC',
    currency: 'USD',
    today: '2026-12-31',
    throughMonth: '2026-12',
    ramp: [25, 50, 75, 100],
    plans: [],
    assignments: [],
    people: [],
    teams: [],
    quotas: [],
    deals: [],
    milestones: [],
    churns: [],
    ratings: [],
    acceptedLeads: [],
    expansions: [],
    retention: [],
    ...over,
  };
}

/** A published plan version from components (validated by the real schema, so the tests use real documents). */
export function plan(
  key: string,
  components: unknown[],
  o: { version?: number; from?: string; to?: string | null; roles?: string[] } = {},
): PlanVersion {
  const document: PlanDocument = planDocument.parse({ key, name: key, roles: o.roles ?? ['ae'], components });
  return { key, version: o.version ?? 1, effectiveFrom: o.from ?? '2020-01-01', effectiveTo: o.to ?? null, document };
}

export const assign = (userId: string, planKey: string, o: { level?: number; from?: string; to?: string | null } = {}): Assignment => ({
  id: `${userId}-${planKey}-${o.from ?? 'start'}`,
  userId,
  planKey,
  level: o.level ?? 1,
  from: o.from ?? '2020-01-01',
  to: o.to ?? null,
});

export const person = (id: string, teamId: string | null = null) => ({ id, name: id, teamId, hireDate: null, leftAt: null });

export function deal(id: string, on: string, amount: string, credits: Credit[] | string, o: Partial<DealFact> = {}): DealFact {
  const list = typeof credits === 'string' ? [{ userId: credits, role: 'ae' as const, percent: '100' }] : credits;
  return {
    id,
    name: `Deal ${id}`,
    accountId: `acc-${id}`,
    accountName: `Account ${id}`,
    segment: 'SMB',
    amount,
    at: at(on),
    on,
    credits: list,
    ...o,
  };
}

export const quarterQuota = (userId: string, quarter: string, amount: string) => {
  const [y, q] = quarter.split('-Q').map(Number);
  const m = (q - 1) * 3 + 1;
  const pad = (n: number) => String(n).padStart(2, '0');
  const endDay = { 3: 31, 6: 30, 9: 30, 12: 31 }[m + 2]!;
  return { userId, metric: 'new_arr' as const, start: `${y}-${pad(m)}-01`, end: `${y}-${pad(m + 2)}-${endDay}`, amount };
};

export function milestone(dealId: string, status: MilestoneFact['status'], o: Partial<MilestoneFact> = {}): MilestoneFact {
  return {
    accountId: `acc-${dealId}`,
    opportunityId: dealId,
    name: 'Five features',
    status,
    windowEndOn: '2026-09-30',
    reachedOn: null,
    decidedAt: null,
    decidedOn: null,
    missedAt: null,
    missedOn: null,
    ...o,
  };
}

export const reached = (dealId: string, on: string, o: Partial<MilestoneFact> = {}) =>
  milestone(dealId, 'reached', { reachedOn: on, decidedAt: at(on, '18:00:00'), decidedOn: on, ...o });

export const churn = (dealId: string, on: string): ChurnFact => ({ accountId: `acc-${dealId}`, opportunityId: dealId, at: at(on), on });

export const rating = (opportunityId: string, repId: string, value: number, on: string): RatingFact => ({
  opportunityId,
  repId,
  rating: value,
  at: at(on),
  on,
});

export const accepted = (leadId: string, sdrId: string, on: string, disqualifiedOn: string | null = null): AcceptedLeadFact => ({
  leadId,
  sdrId,
  company: `Company ${leadId}`,
  at: at(on),
  on,
  disqualifiedAt: disqualifiedOn ? at(disqualifiedOn) : null,
  disqualifiedOn,
});

export const commission = (o: Record<string, unknown> = {}): Component =>
  ({ type: 'commission', id: 'new-arr', credit: 'ae', rate: '10', ...o }) as Component;
