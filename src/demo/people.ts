import type { Role, SegmentCode } from '../modules/org/org.core.js';

/**
 * The demo company's revenue team: Intercom's "Act III" (specialised roles, segments, sales ops), 41 people.
 * Everyone shares DEMO_PASSWORD; one person per role has an email that says the role (ava.admin@...) and is
 * printed as that role's login.
 */

export const DEMO_EMAIL_DOMAIN = 'demo.revline.dev';
export const DEMO_PASSWORD = 'revline-demo';

export const TEAMS = {
  inbound: 'Inbound SDR',
  outbound: 'Outbound SDR',
  smb: 'SMB Sales',
  mme: 'Mid-market & Enterprise',
  realtime: 'Real-time Sales',
  success: 'Customer Success',
} as const;
export type TeamKey = keyof typeof TEAMS;

/** How a chat rep's conversations turn into leads, trials and customers (per year at scale 1, exact quotas). */
export type ChatProfile = { conversations: number; leadRate: number; oppRate: number; winRate: number; speed: number };

/** How a closer's deals and customers behave, relative to the average rep (1 = average). */
export type CloserSkill = { win: number; speed: number; churn: number; expansion: number };

export type DemoPerson = {
  key: string;
  first: string;
  last: string;
  /** Local part of the email; defaults to first.last. */
  handle?: string;
  roles: Role[];
  team?: TeamKey;
  manages?: TeamKey;
  segments: SegmentCode[];
  hiredMonthsAgo: number;
  level: 1 | 2 | 3;
  capacity: number;
  /** Away for the last few days and the next week and a half: routing must skip them. */
  outOfOffice?: boolean;
  /** The role this person is the printed demo login for. */
  loginFor?: Role;
  chat?: ChatProfile;
  skill?: CloserSkill;
  /** Closers: the mean rating (1-5) buyers give their buying process in the 90-day survey. */
  buyerRating?: number;
};

const avg: CloserSkill = { win: 1, speed: 1, churn: 1, expansion: 1 };

// biome-ignore format: one person per line reads as a roster
export const PEOPLE: DemoPerson[] = [
  { key: 'admin', first: 'Ava', last: 'Thompson', handle: 'ava.admin', roles: ['admin'], segments: [], hiredMonthsAgo: 48, level: 3, capacity: 100, loginFor: 'admin' },
  { key: 'ops', first: 'Omar', last: 'Haddad', handle: 'omar.ops', roles: ['sales_ops'], segments: [], hiredMonthsAgo: 30, level: 2, capacity: 100, loginFor: 'sales_ops' },

  { key: 'mgrInbound', first: 'Nina', last: 'Brooks', roles: ['manager'], team: 'inbound', manages: 'inbound', segments: [], hiredMonthsAgo: 40, level: 3, capacity: 100 },
  { key: 'mgrOutbound', first: 'Victor', last: 'Hale', roles: ['manager'], team: 'outbound', manages: 'outbound', segments: [], hiredMonthsAgo: 26, level: 3, capacity: 100 },
  { key: 'mgrSmb', first: 'Grace', last: 'Kim', roles: ['manager'], team: 'smb', manages: 'smb', segments: ['SMB'], hiredMonthsAgo: 44, level: 3, capacity: 100 },
  { key: 'mgrMme', first: 'Henry', last: 'Adler', roles: ['manager'], team: 'mme', manages: 'mme', segments: ['MME'], hiredMonthsAgo: 22, level: 3, capacity: 100 },
  { key: 'mgrRealtime', first: 'Maria', last: 'Lopez', handle: 'maria.manager', roles: ['manager'], team: 'realtime', manages: 'realtime', segments: ['ESB', 'SMB'], hiredMonthsAgo: 36, level: 3, capacity: 100, loginFor: 'manager' },
  { key: 'mgrSuccess', first: 'Claire', last: 'Dubois', roles: ['manager'], team: 'success', manages: 'success', segments: [], hiredMonthsAgo: 34, level: 3, capacity: 100 },

  { key: 'ines', first: 'Ines', last: 'Moreau', handle: 'ines.inbound', roles: ['sdr_inbound'], team: 'inbound', segments: ['ESB', 'SMB', 'MME'], hiredMonthsAgo: 20, level: 2, capacity: 200, loginFor: 'sdr_inbound' },
  { key: 'jake', first: 'Jake', last: 'Turner', roles: ['sdr_inbound'], team: 'inbound', segments: ['ESB', 'SMB', 'MME'], hiredMonthsAgo: 28, level: 3, capacity: 200 },
  { key: 'mei', first: 'Mei', last: 'Tanaka', roles: ['sdr_inbound'], team: 'inbound', segments: ['ESB', 'SMB', 'MME'], hiredMonthsAgo: 16, level: 2, capacity: 200 },
  { key: 'lucas', first: 'Lucas', last: 'Silva', roles: ['sdr_inbound'], team: 'inbound', segments: ['ESB', 'SMB', 'MME'], hiredMonthsAgo: 11, level: 1, capacity: 180 },
  { key: 'hannah', first: 'Hannah', last: 'Berg', roles: ['sdr_inbound'], team: 'inbound', segments: ['ESB', 'SMB', 'MME'], hiredMonthsAgo: 7, level: 1, capacity: 160 },

  { key: 'otto', first: 'Otto', last: 'Lindqvist', handle: 'otto.outbound', roles: ['sdr_outbound'], team: 'outbound', segments: ['SMB', 'MME'], hiredMonthsAgo: 19, level: 2, capacity: 150, loginFor: 'sdr_outbound' },
  { key: 'sara', first: 'Sara', last: 'Cohen', roles: ['sdr_outbound'], team: 'outbound', segments: ['SMB', 'MME'], hiredMonthsAgo: 24, level: 3, capacity: 150 },
  { key: 'kwame', first: 'Kwame', last: 'Mensah', roles: ['sdr_outbound'], team: 'outbound', segments: ['SMB', 'MME'], hiredMonthsAgo: 13, level: 1, capacity: 150 },
  { key: 'ruby', first: 'Ruby', last: 'Fischer', roles: ['sdr_outbound'], team: 'outbound', segments: ['SMB', 'MME'], hiredMonthsAgo: 3, level: 1, capacity: 120 },

  { key: 'aaron', first: 'Aaron', last: 'Price', handle: 'aaron.ae', roles: ['ae'], team: 'smb', segments: ['SMB'], hiredMonthsAgo: 25, level: 2, capacity: 80, loginFor: 'ae', skill: avg, buyerRating: 4.4 },
  { key: 'priya', first: 'Priya', last: 'Raman', roles: ['ae'], team: 'smb', segments: ['SMB'], hiredMonthsAgo: 30, level: 3, capacity: 80, skill: { win: 1.05, speed: 1, churn: 0.5, expansion: 2.2 }, buyerRating: 4.95 },
  { key: 'derek', first: 'Derek', last: 'Stone', roles: ['ae'], team: 'smb', segments: ['SMB'], hiredMonthsAgo: 27, level: 2, capacity: 80, skill: { win: 1.1, speed: 0.9, churn: 3, expansion: 0.5 }, buyerRating: 3.2 },
  { key: 'liam', first: 'Liam', last: 'Becker', roles: ['ae'], team: 'smb', segments: ['SMB'], hiredMonthsAgo: 18, level: 2, capacity: 80, outOfOffice: true, skill: { win: 0.95, speed: 1.05, churn: 1, expansion: 1 }, buyerRating: 4.3 },
  { key: 'sofia', first: 'Sofia', last: 'Rossi', roles: ['ae'], team: 'smb', segments: ['SMB'], hiredMonthsAgo: 8, level: 1, capacity: 70, skill: { win: 0.85, speed: 1.15, churn: 1, expansion: 1 }, buyerRating: 4.2 },

  { key: 'jonas', first: 'Jonas', last: 'Weber', roles: ['ae'], team: 'mme', segments: ['MME'], hiredMonthsAgo: 32, level: 3, capacity: 40, skill: { win: 1.1, speed: 0.95, churn: 0.8, expansion: 1.2 }, buyerRating: 4.6 },
  { key: 'isabel', first: 'Isabel', last: 'Cruz', roles: ['ae'], team: 'mme', segments: ['MME'], hiredMonthsAgo: 21, level: 2, capacity: 40, skill: avg, buyerRating: 4.3 },
  { key: 'chloe', first: 'Chloe', last: 'Martin', roles: ['ae'], team: 'mme', segments: ['MME'], hiredMonthsAgo: 5, level: 1, capacity: 30, skill: { win: 0.8, speed: 1.2, churn: 1, expansion: 1 }, buyerRating: 4.2 },

  // The coaching stories of Intercom's lesson 5, one rep each (see DEMO_PROFILES).
  { key: 'zachary', first: 'Zachary', last: 'Quinn', roles: ['realtime_ae'], team: 'realtime', segments: ['SMB'], hiredMonthsAgo: 23, level: 2, capacity: 120, chat: { conversations: 1700, leadRate: 0.46, oppRate: 0.2, winRate: 0.28, speed: 1 }, buyerRating: 4.5 },
  { key: 'annie', first: 'Annie', last: 'Walsh', roles: ['realtime_ae'], team: 'realtime', segments: ['SMB'], hiredMonthsAgo: 20, level: 2, capacity: 120, chat: { conversations: 3100, leadRate: 0.2, oppRate: 0.45, winRate: 0.07, speed: 1.1 }, buyerRating: 4.2 },
  { key: 'raymond', first: 'Raymond', last: 'Ortiz', roles: ['realtime_ae'], team: 'realtime', segments: ['SMB'], hiredMonthsAgo: 26, level: 3, capacity: 120, chat: { conversations: 1900, leadRate: 0.25, oppRate: 0.34, winRate: 0.55, speed: 0.5 }, buyerRating: 4.6 },
  { key: 'rita', first: 'Rita', last: 'Gomez', handle: 'rita.realtime', roles: ['realtime_ae'], team: 'realtime', segments: ['SMB'], hiredMonthsAgo: 17, level: 2, capacity: 120, loginFor: 'realtime_ae', chat: { conversations: 2500, leadRate: 0.24, oppRate: 0.24, winRate: 0.27, speed: 1 }, buyerRating: 4.4 },

  { key: 'emma', first: 'Emma', last: 'Novak', handle: 'emma.esb', roles: ['esb_ae'], team: 'realtime', segments: ['ESB'], hiredMonthsAgo: 15, level: 2, capacity: 150, loginFor: 'esb_ae', chat: { conversations: 3300, leadRate: 0.3, oppRate: 0.18, winRate: 0.32, speed: 1 }, buyerRating: 4.4 },
  { key: 'tomas', first: 'Tomás', last: 'Reyes', roles: ['esb_ae'], team: 'realtime', segments: ['ESB'], hiredMonthsAgo: 12, level: 1, capacity: 150, chat: { conversations: 3200, leadRate: 0.28, oppRate: 0.17, winRate: 0.3, speed: 1 }, buyerRating: 4.3 },
  { key: 'yuki', first: 'Yuki', last: 'Sato', roles: ['esb_ae'], team: 'realtime', segments: ['ESB'], hiredMonthsAgo: 9, level: 1, capacity: 150, chat: { conversations: 3000, leadRate: 0.29, oppRate: 0.18, winRate: 0.3, speed: 1 }, buyerRating: 4.2 },

  { key: 'carla', first: 'Carla', last: 'Jensen', handle: 'carla.csm', roles: ['csm'], team: 'success', segments: ['SMB'], hiredMonthsAgo: 29, level: 2, capacity: 150, loginFor: 'csm' },
  { key: 'ben', first: 'Ben', last: 'Okafor', roles: ['csm'], team: 'success', segments: ['SMB'], hiredMonthsAgo: 14, level: 1, capacity: 150 },
  { key: 'lina', first: 'Lina', last: 'Petrova', roles: ['csm'], team: 'success', segments: ['ESB'], hiredMonthsAgo: 19, level: 2, capacity: 400 },
  { key: 'marcus', first: 'Marcus', last: 'Reid', roles: ['csm'], team: 'success', segments: ['MME'], hiredMonthsAgo: 31, level: 3, capacity: 60 },
  { key: 'rick', first: 'Rick', last: 'Alvarez', handle: 'rick.relationship', roles: ['relationship_manager'], team: 'success', segments: ['MME'], hiredMonthsAgo: 38, level: 3, capacity: 25, loginFor: 'relationship_manager' },

  { key: 'sean', first: 'Sean', last: 'Murphy', handle: 'sean.engineer', roles: ['sales_engineer'], segments: ['SMB', 'MME'], hiredMonthsAgo: 24, level: 2, capacity: 100, loginFor: 'sales_engineer' },
  { key: 'elena', first: 'Elena', last: 'Popescu', handle: 'elena.enablement', roles: ['enablement'], segments: [], hiredMonthsAgo: 22, level: 2, capacity: 100, loginFor: 'enablement' },
  { key: 'sophie', first: 'Sophie', last: 'Laurent', handle: 'sophie.support', roles: ['support'], segments: [], hiredMonthsAgo: 27, level: 2, capacity: 100, loginFor: 'support' },
  { key: 'daniel', first: 'Daniel', last: 'Osei', roles: ['support'], segments: [], hiredMonthsAgo: 10, level: 1, capacity: 100 },
];

export const emailOf = (p: DemoPerson) =>
  `${
    p.handle ??
    `${p.first}.${p.last}`
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
  }@${DEMO_EMAIL_DOMAIN}`;

const person = (key: string) => PEOPLE.find((p) => p.key === key)!;

/**
 * The reps whose numbers tell Intercom's coaching stories, for analytics tests and for anyone exploring the demo.
 * Compare chat reps (realtime_ae) on conversations -> leads -> opportunities -> customers, and SMB AEs on retention.
 */
export const DEMO_PROFILES = {
  /** "Talked to the fewest visitors but created the most leads": best conversation -> lead rate among chat reps. */
  bestVisitorToLead: { email: emailOf(person('zachary')), name: 'Zachary Quinn' },
  /** "Fewer conversations and leads, but more opportunities became customers, and faster": best win rate, shortest cycle, most wins. */
  bestCloser: { email: emailOf(person('raymond')), name: 'Raymond Ortiz' },
  /** "Many conversations, mid-table on leads, many opportunities that rarely become customers": weak trial -> customer. */
  weakTrialToCustomer: { email: emailOf(person('annie')), name: 'Annie Walsh' },
  /** The average chat rep to compare the three against. */
  chatBaseline: { email: emailOf(person('rita')), name: 'Rita Gomez' },
  /** An SMB AE who closes as much as peers but whose customers churn ("two reps with $1M each..."). */
  churningCustomers: { email: emailOf(person('derek')), name: 'Derek Stone' },
  /** An SMB AE whose customers expand more than anyone's. */
  expandingCustomers: { email: emailOf(person('priya')), name: 'Priya Raman' },
  /** "Churn and burn": buyers rate his process about 3.2 of 5, below the alert threshold; he has late-stage deals open. */
  lowBuyerRating: { email: emailOf(person('derek')), name: 'Derek Stone' },
  /** The trusted advisor: rated about 4.9 (nearly all five stars), so she earns the buyer-rating accelerator. */
  topBuyerRating: { email: emailOf(person('priya')), name: 'Priya Raman' },
  /** Out of office now: routing must skip him. */
  outOfOffice: { email: emailOf(person('liam')), name: 'Liam Becker' },
} as const;
