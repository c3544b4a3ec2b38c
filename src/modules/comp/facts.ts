import type { PlanDocument } from './plan.schema.js';

/**
 * What the engine reads: plain data loaded by facts.repo.ts. Every event has its instant (`at`, UTC) and its local
 * date in the workspace timezone (`on`, YYYY-MM-DD); the month a line belongs to is the month of `on`.
 */
export type PlanVersion = { key: string; version: number; effectiveFrom: string; effectiveTo: string | null; document: PlanDocument };

export type Assignment = { id: string; userId: string; planKey: string; level: number; from: string; to: string | null };

export type Person = { id: string; name: string; teamId: string | null; hireDate: string | null; leftAt: string | null };

export type Team = { id: string; name: string; managerId: string | null };

/** A quota row (quotas module) of metric new_arr or grr, with its period as stored. */
export type QuotaFact = { userId: string; metric: 'new_arr' | 'grr'; start: string; end: string; amount: string };

export type Credit = { userId: string; role: 'ae' | 'sdr'; percent: string };

/** A won deal: amount is its ARR; credits say who is paid on it (owner at close, sourcing SDR, or the splits). */
export type DealFact = {
  id: string;
  name: string;
  accountId: string | null;
  accountName: string | null;
  segment: string | null;
  amount: string;
  at: Date;
  on: string;
  credits: Credit[];
};

/**
 * The account's aha milestone state (account_milestones): reachedOn is the event's local date, decided when Revline
 * learned the outcome (a release is booked then), missed when it first turned missed (from the change history).
 */
export type MilestoneFact = {
  accountId: string;
  opportunityId: string | null;
  name: string;
  status: 'pending' | 'reached' | 'missed';
  windowEndOn: string;
  reachedOn: string | null;
  decidedAt: Date | null;
  decidedOn: string | null;
  missedAt: Date | null;
  missedOn: string | null;
};

/** A churn movement; opportunityId is the deal whose subscription churned (null: a subscription no deal created). */
export type ChurnFact = { accountId: string; opportunityId: string | null; at: Date; on: string };

export type RatingFact = { opportunityId: string; repId: string; rating: number; at: Date; on: string };

/** A lead handed off by an SDR and accepted by an AE (the first acceptance per lead), and its later disqualification. */
export type AcceptedLeadFact = {
  leadId: string;
  sdrId: string;
  company: string | null;
  at: Date;
  on: string;
  disqualifiedAt: Date | null;
  disqualifiedOn: string | null;
};

export type ExpansionFact = {
  id: string;
  accountId: string;
  accountName: string | null;
  csmId: string;
  amount: string;
  at: Date;
  on: string;
};

/** ARR of a CSM's accounts at the start of a calendar quarter and the part of it lost in the quarter (quotas.repo retention). */
export type RetentionFact = { csmId: string; quarter: string; startArr: string; losses: string };

export type CompFacts = {
  timezone: string;
  currency: string;
  /** The local date of "now": windows that end after it have not ended. */
  today: string;
  /** Lines of later months are not computed. */
  throughMonth: string;
  ramp: number[];
  plans: PlanVersion[];
  assignments: Assignment[];
  people: Person[];
  teams: Team[];
  quotas: QuotaFact[];
  deals: DealFact[];
  milestones: MilestoneFact[];
  churns: ChurnFact[];
  ratings: RatingFact[];
  acceptedLeads: AcceptedLeadFact[];
  expansions: ExpansionFact[];
  retention: RetentionFact[];
};

export type LineKind = 'earning' | 'hold' | 'release' | 'forfeit' | 'clawback' | 'adjustment' | 'draw' | 'draw_recovery';

/** One ledger line as the engine computes it, in the month of its event. */
export type EngineLine = {
  userId: string;
  /** What the line is about, stable from run to run (unique per user). */
  key: string;
  kind: LineKind;
  /** The month of the event, YYYY-MM. */
  month: string;
  at: Date;
  on: string;
  component: string;
  rule: string;
  planKey: string | null;
  planVersion: number | null;
  opportunityId?: string | null;
  accountId?: string | null;
  leadId?: string | null;
  /** Two decimals, rounded half-even. */
  amount: string;
  inputs: Record<string, unknown>;
  arithmetic: string;
};
