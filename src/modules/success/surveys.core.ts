import { Decimal } from 'decimal.js';
import { isClosedStage, normalizeEmail } from '../crm/crm.core.js';

/** Buyer surveys: the pure rules (when to ask whom, rep scores, who hears about a low-rated rep). */

export const SURVEY_STATUSES = ['scheduled', 'sent', 'reminded', 'rated', 'unsubscribed', 'skipped'] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];

export type SurveySettings = {
  /** Days after the close before the buyer is asked: late enough for "churn and burn" and vaporware to show. */
  delayDays: number;
  /** Days after the first email before the one reminder, if the buyer has not answered. */
  reminderDays: number;
  /** How long the links in an email stay valid. */
  tokenDays: number;
  /** A rep whose average is below this (with at least minRatings ratings) is low-rated. Decimal string. */
  threshold: string;
  minRatings: number;
  /** Stages that trigger a low-rating alert; null: the default (see defaultAlertStages). */
  alertStages: string[] | null;
  /** Executives told about every low-rating alert, on top of customer success. */
  alertUserIds: string[];
};

export const DEFAULT_SETTINGS: SurveySettings = {
  delayDays: 90,
  reminderDays: 7,
  tokenDays: 30,
  threshold: '4.00',
  minRatings: 3,
  alertStages: null,
  alertUserIds: [],
};

/** A survey that would arrive this long after its due date is not sent: it protects imported history from a mass mailing. */
export const STALE_AFTER_DAYS = 30;
/** Unsubscribe links stay valid longer than rating links: people unsubscribe late. */
export const UNSUBSCRIBE_LINK_DAYS = 365;

const DAY_MS = 86_400_000;
export const addDays = (d: Date, days: number) => new Date(d.getTime() + days * DAY_MS);

// Strict on purpose: the address goes into an SMTP envelope, so nothing but a plain address passes.
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
export const isSendableEmail = (email: string) => email.length <= 254 && EMAIL.test(email);

export type WonDeal = { closedAt: Date; contactEmail: string | null; leadEmail: string | null };
export type SurveyPlan = { sendAt: Date; buyerEmail: string | null; status: 'scheduled' | 'skipped'; skipReason: string | null };

/**
 * The survey of a won deal: sent delayDays after the close to the deal's contact, else to its lead.
 * Without a usable address, or when it would arrive far too late (a deal imported long after it was won), it is skipped with the reason.
 */
export function planSurvey(deal: WonDeal, delayDays: number, now: Date): SurveyPlan {
  const sendAt = addDays(deal.closedAt, delayDays);
  const candidates = [deal.contactEmail, deal.leadEmail].map(normalizeEmail).filter((e): e is string => e != null);
  const buyerEmail = candidates.find(isSendableEmail) ?? null;
  const skip = (skipReason: string): SurveyPlan => ({ sendAt, buyerEmail, status: 'skipped', skipReason });
  if (!candidates.length) return skip('no buyer email: the deal has no contact or lead with an email address');
  if (!buyerEmail) return skip(`the buyer email is not a valid address: ${candidates[0]}`);
  if (now.getTime() > addDays(sendAt, STALE_AFTER_DAYS).getTime())
    return skip(`won too long ago: the survey was due on ${sendAt.toISOString().slice(0, 10)}`);
  return { sendAt, buyerEmail, status: 'scheduled', skipReason: null };
}

export type SurveyState = {
  status: SurveyStatus;
  sendAt: Date;
  sentAt: Date | null;
  remindedAt: Date | null;
  rating: number | null;
  buyerEmail: string | null;
};

/** Which email a survey is due for now: the first one, the one reminder, or none. */
export function dueEmail(s: SurveyState, reminderDays: number, now: Date): 'invite' | 'reminder' | null {
  if (s.rating != null || !s.buyerEmail) return null;
  if (s.status === 'scheduled' && s.sendAt.getTime() <= now.getTime()) return 'invite';
  if (s.status === 'sent' && s.sentAt && !s.remindedAt && addDays(s.sentAt, reminderDays).getTime() <= now.getTime()) return 'reminder';
  return null;
}

/** Open stages from 'proposal' on (the deal is being closed); without a 'proposal' stage, the last open stage. */
export function defaultAlertStages(stages: string[]): string[] {
  const open = stages.filter((s) => !isClosedStage(s));
  const i = open.indexOf('proposal');
  return i >= 0 ? open.slice(i) : open.slice(-1);
}

export const effectiveAlertStages = (s: Pick<SurveySettings, 'alertStages'>, stages: string[]) =>
  s.alertStages ?? defaultAlertStages(stages);

/** Alert stages must be open stages of the workspace (a won deal is past closing). */
export function alertStagesProblem(list: string[], stages: string[]): string | null {
  const open = stages.filter((s) => !isClosedStage(s));
  const bad = list.filter((s) => !open.includes(s));
  if (bad.length) return `not open stages of this workspace: ${bad.join(', ')} (open stages: ${open.join(', ')})`;
  if (new Set(list).size !== list.length) return 'each stage once';
  return null;
}

export type Score = { sum: number; count: number };

/** The average to two decimals, truncated: a 4.795 shows as 4.79, never as a 4.80 that a 4.8 bar would refuse. */
export const averageOf = (s: Score): string | null =>
  s.count ? new Decimal(s.sum).div(s.count).toDecimalPlaces(2, Decimal.ROUND_DOWN).toFixed(2) : null;

/** Below the threshold with enough ratings to mean something; compared exactly (sum < threshold × count), never on a rounded average. */
export const isLowRated = (s: Score, threshold: string, minRatings: number) =>
  s.count >= minRatings && new Decimal(s.sum).lt(new Decimal(threshold).times(s.count));

/** Best average first (compared exactly as fractions), then more ratings, then name. */
export function compareScores<T extends Score & { name: string }>(a: T, b: T): number {
  const byAverage = b.sum * a.count - a.sum * b.count;
  return byAverage || b.count - a.count || a.name.localeCompare(b.name);
}

/**
 * Who hears that a low-rated rep is closing: the account's CSM when it has one (they own the relationship),
 * else every CSM and relationship manager of the workspace; plus the chosen executives. Never the rep.
 */
export function alertRecipients(input: { accountCsmId: string | null; successIds: string[]; executiveIds: string[]; repId: string }) {
  const success = input.accountCsmId ? [input.accountCsmId] : input.successIds;
  return [...new Set([...success, ...input.executiveIds])].filter((id) => id !== input.repId);
}
