import type { Channel, SourceType } from '../modules/crm/crm.core.js';
import type { SegmentCode } from '../modules/org/org.core.js';

/**
 * The demo's numbers in one place: lead volume per channel (per year at scale 1, about 100k leads in all),
 * how each kind of lead moves through the funnel, and how segments change deal size, speed and retention.
 * Seeds close fast and often, nets in the middle, spears slowly and rarely (Predictable Revenue).
 */

export type Owner = 'sdr_inbound' | 'sdr_outbound' | 'closer';

export type Stream = {
  channel: Channel;
  source: SourceType;
  owner: Owner;
  perYear: number;
  segments: readonly (readonly [SegmentCode, number])[];
  /** Share of leads anyone ever touches (the rest stay `new`). */
  worked: number;
  /** Share of worked leads that qualify. */
  qualify: number;
  /** Share of disqualifications decided from the form alone (new -> disqualified, no call). */
  dqOnData: number;
  /** Share of qualified leads that become opportunities (the rest the AE sends back and disqualifies). */
  convert: number;
  /** Win rate of the opportunities, before segment and rep adjustments. */
  win: number;
  /** Median days from opportunity to close, for SMB (segments scale it). */
  cycleDays: number;
  /** Median hours from qualified to converted (hand-off included). */
  convertHours: number;
  /** The lead came from a form on the website: a visit row carries its lead id. */
  webForm?: boolean;
};

const INBOUND_MIX = [
  ['ESB', 42],
  ['SMB', 48],
  ['MME', 10],
] as const;
const SALES_MIX = [
  ['ESB', 15],
  ['SMB', 60],
  ['MME', 25],
] as const;
const OUTBOUND_MIX = [
  ['SMB', 65],
  ['MME', 35],
] as const;

// biome-ignore format: one channel per line, to compare them at a glance
export const STREAMS: Stream[] = [
  { channel: 'website', source: 'net', owner: 'sdr_inbound', perYear: 14_000, segments: INBOUND_MIX, worked: 0.92, qualify: 0.09, dqOnData: 0.45, convert: 0.85, win: 0.27, cycleDays: 35, convertHours: 40, webForm: true },
  { channel: 'signup', source: 'net', owner: 'sdr_inbound', perYear: 24_000, segments: INBOUND_MIX, worked: 0.9, qualify: 0.06, dqOnData: 0.55, convert: 0.85, win: 0.3, cycleDays: 30, convertHours: 36, webForm: true },
  { channel: 'newsletter', source: 'net', owner: 'sdr_inbound', perYear: 9_000, segments: INBOUND_MIX, worked: 0.8, qualify: 0.03, dqOnData: 0.6, convert: 0.8, win: 0.2, cycleDays: 40, convertHours: 48, webForm: true },
  { channel: 'call', source: 'net', owner: 'sdr_inbound', perYear: 2_500, segments: SALES_MIX, worked: 0.98, qualify: 0.2, dqOnData: 0.2, convert: 0.85, win: 0.3, cycleDays: 30, convertHours: 30 },
  { channel: 'event', source: 'net', owner: 'sdr_inbound', perYear: 1_500, segments: SALES_MIX, worked: 0.95, qualify: 0.12, dqOnData: 0.3, convert: 0.85, win: 0.28, cycleDays: 40, convertHours: 48 },
  // Inbound SDRs answer the chats the real-time team does not take (SMB and MME visitors).
  { channel: 'chat', source: 'net', owner: 'sdr_inbound', perYear: 3_000, segments: [['SMB', 75], ['MME', 25]], worked: 0.97, qualify: 0.12, dqOnData: 0.2, convert: 0.85, win: 0.27, cycleDays: 35, convertHours: 30 },
  { channel: 'outbound_email', source: 'spear', owner: 'sdr_outbound', perYear: 27_000, segments: OUTBOUND_MIX, worked: 1, qualify: 0.035, dqOnData: 0, convert: 0.85, win: 0.17, cycleDays: 70, convertHours: 72 },
  { channel: 'linkedin', source: 'spear', owner: 'sdr_outbound', perYear: 11_000, segments: OUTBOUND_MIX, worked: 1, qualify: 0.045, dqOnData: 0, convert: 0.85, win: 0.17, cycleDays: 70, convertHours: 72 },
  { channel: 'referral', source: 'seed', owner: 'closer', perYear: 2_000, segments: SALES_MIX, worked: 1, qualify: 0.45, dqOnData: 0, convert: 0.95, win: 0.55, cycleDays: 16, convertHours: 20 },
  { channel: 'partner', source: 'seed', owner: 'closer', perYear: 800, segments: SALES_MIX, worked: 1, qualify: 0.35, dqOnData: 0, convert: 0.95, win: 0.45, cycleDays: 22, convertHours: 24 },
];

/** Chat reps' own leads (real-time and ESB AEs) come from their conversations: see ChatProfile in people.ts. */
export const CHAT_CYCLE_DAYS = { ESB: 9, SMB: 20 } as const;

export const SEGMENT = {
  ESB: { win: 1.15, cycle: 0.4, arr: [1_200, 5_000], churnPerMonth: 0.025, expansionPerMonth: 0.01 },
  SMB: { win: 1, cycle: 1, arr: [5_000, 30_000], churnPerMonth: 0.012, expansionPerMonth: 0.025 },
  MME: { win: 0.75, cycle: 2, arr: [30_000, 120_000], churnPerMonth: 0.005, expansionPerMonth: 0.035 },
} as const satisfies Record<SegmentCode, unknown>;

/** Seeds make the best customers (they churn least), spears the most fragile. */
export const SOURCE_CHURN: Record<SourceType, number> = { seed: 0.5, net: 1, spear: 1.25 };

/** Customers from before the twelve months (per scale): the installed base CSMs renew and grow. */
export const INSTALLED_BASE = {
  perScale: 900,
  segments: [
    ['ESB', 35],
    ['SMB', 45],
    ['MME', 20],
  ] as const,
  renewalChurn: { ESB: 0.15, SMB: 0.08, MME: 0.04 },
};

/**
 * Web traffic, relative to the number of leads: every conversation has its own visitor, every visit is a
 * distinct visitor, so visitors > conversations > leads holds for the whole workspace (a real site has far
 * more visitors per lead; the demo stores fewer rows but keeps the order).
 */
export const TRAFFIC = {
  conversationsPerLead: 1.03,
  /** Visits by people who neither chat nor leave a form, per lead. */
  browsingVisitsPerLead: 0.03,
  /** Conversations inbound SDRs have per chat lead they create. */
  sdrConversationsPerChatLead: 5,
  /** Support answers this share of the remaining conversations; a bot answers the rest. */
  supportShare: 0.2,
};

/** Opportunity stages for a full sales cycle and for the short chat-led one. */
export const FULL_PATH = ['discovery', 'trial', 'proposal', 'negotiation'] as const;
export const CHAT_PATH = ['discovery', 'trial'] as const;
/** Where in the cycle each stage starts (fraction of the cycle length). */
export const STAGE_AT: Record<string, number> = { discovery: 0, trial: 0.2, proposal: 0.55, negotiation: 0.8 };

/**
 * Customer success: the aha milestone, seats and product usage (usage.ts, customer.ts).
 * Whether a customer reaches its aha moment is decided when it signs; those who miss it churn clearly more.
 */
export const AHA = {
  /** The milestone window, in days from the deal's close (the subscription's start for the installed base). */
  windowDays: 60,
  /** Chance to reach it, by segment, before the selling AE's influence (see reachChance in customer.ts). */
  reach: { ESB: 0.55, SMB: 0.68, MME: 0.78 },
  /** Monthly churn after the window, relative: missed 2, reached 0.55 (rescaled so the AE's overall churn holds). */
  churn: { reached: 0.55, missed: 2 },
  /** Expansion, the same way: customers that never got the value rarely buy more seats. */
  expansion: { reached: 1.2, missed: 0.45 },
  /** A reached customer crosses the line this many days into its window (uniform). */
  reachedAfterDays: [6, 45],
} as const;

/** Seats bought: ARR / price per seat per year (Starter $40, Pro $100, Premium $250 a month). */
export const SEAT_PRICE: Record<SegmentCode, number> = { ESB: 480, SMB: 1_200, MME: 3_000 };

/**
 * How much customers use the product. Volume is kept modest so the demo stays fast: a usage event stands for a
 * meaningful action (a conversation answered, a feature used), not every click.
 */
export const USAGE = {
  /** Events per active user per month once onboarded: owners of small businesses live in it, large teams share the work. */
  perUserMonth: { ESB: 2.5, SMB: 1.4, MME: 1.1 },
  /** Customers set up and try things in their milestone window: this many times the events per user at its start, tapering to 1. */
  onboardingBoost: 3,
  /** Share of the seats in use once adopted: reached customers use most of them, the others a third or so. */
  adoption: { reached: [0.6, 0.88], missed: [0.25, 0.5] },
  /** Days over which a customer who missed keeps (slowly) adding users. */
  slowRampDays: 150,
  /**
   * Older history is thinned to keep the volume down (milestone windows excepted): full detail for the last 150 days
   * (what health scores, their twelve-week history and the 90-day usage chart read), then less and less, down to
   * a tenth from 210 days back.
   */
  fullDetailDays: 150,
  thinnedFromDays: 210,
  thinnedShare: 0.1,
  /** Weekends see this share of a weekday's use. */
  weekend: 0.2,
  /** Usage fades over this many days before a churn (to this share of users at the end). */
  declineDays: [45, 90],
  declineTo: 0.25,
  /** Before an expansion the customer runs out of seats: nearly all in use, plan limits hit. */
  seatPressureDays: 40,
  /** Support tickets per account per month; more for customers who missed their milestone and while fading. */
  ticketsPerMonth: 0.1,
  /** Users per team (SMB and MME accounts have teams; a new team shows up as users grow). */
  teamSize: { SMB: [4, 8], MME: [6, 12] },
  /** Futures the simulation looks into so signals come before the events: churns and expansions up to this far ahead. */
  lookaheadDays: 60,
} as const;

/** The buyer survey (surveys-demo.ts): sent 90 days after the close, one reminder a week later. */
export const SURVEYS = {
  delayDays: 90,
  reminderDays: 7,
  /** Of the buyers asked: most answer (a quarter of those only after the reminder), a few unsubscribe. */
  answered: 0.8,
  afterReminder: 0.25,
  unsubscribed: 0.03,
  /** Share of ratings with a comment. */
  commented: 0.3,
  /** Buyers whose customer reached its milestone rate a little higher, those who missed lower (the rep's mean holds). */
  ahaTilt: 0.4,
  /** The mean rating of a closer without a `buyerRating` of their own. */
  usualRating: 4.3,
  /** Spread of a single rating around the rep's mean (before rounding to 1-5). */
  ratingNoise: 0.7,
} as const;
