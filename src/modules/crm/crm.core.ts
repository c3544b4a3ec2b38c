/** Pure CRM rules: identity normalisation, lead lifecycle, opportunity stages, conversion. */

export const SOURCE_TYPES = ['seed', 'net', 'spear'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export const CHANNELS = [
  'website',
  'signup',
  'newsletter',
  'chat',
  'call',
  'referral',
  'outbound_email',
  'linkedin',
  'event',
  'partner',
] as const;
export type Channel = (typeof CHANNELS)[number];

export const LEAD_STATUSES = ['new', 'working', 'qualified', 'handed_off', 'converted', 'disqualified'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export const ACTIVITY_KINDS = ['email', 'call', 'meeting', 'chat', 'note', 'task'] as const;
export const RECORD_TYPES = ['lead', 'contact', 'account', 'opportunity', 'subscription'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** Domains of free mail providers never identify a company, so they never match or create an account. */
export const FREE_MAIL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.co.uk',
  'ymail.com',
  'hotmail.com',
  'hotmail.co.uk',
  'outlook.com',
  'live.com',
  'msn.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'mail.com',
  'mail.ru',
  'yandex.ru',
  'yandex.com',
  'zoho.com',
  'fastmail.com',
  'qq.com',
  '163.com',
  '126.com',
  'hey.com',
  'tutanota.com',
  'orange.fr',
  'free.fr',
  'laposte.net',
  't-online.de',
]);

export function normalizeEmail(email: string | null | undefined): string | null {
  const e = email?.trim().toLowerCase();
  return e ? e : null;
}

/** `https://www.Acme.com/about` -> `acme.com`; free-mail domains -> null. */
export function normalizeDomain(input: string | null | undefined): string | null {
  if (!input) return null;
  let d = input.trim().toLowerCase();
  d = d.replace(/^[a-z]+:\/\//, '').replace(/^www\./, '');
  d = d.split(/[/?#:]/)[0].replace(/\.$/, '');
  if (!d?.includes('.') || FREE_MAIL_DOMAINS.has(d)) return null;
  return d;
}

export const domainOfEmail = (email: string | null | undefined) => normalizeDomain(normalizeEmail(email)?.split('@')[1]);

/** new -> working -> qualified -> handed_off -> converted; disqualified from any open state (with a reason). */
const LEAD_NEXT: Record<LeadStatus, LeadStatus[]> = {
  new: ['working', 'qualified', 'disqualified'],
  working: ['qualified', 'disqualified', 'new'],
  qualified: ['handed_off', 'converted', 'disqualified', 'working'],
  handed_off: ['converted', 'qualified', 'disqualified'],
  converted: [],
  disqualified: ['working'],
};

/** A refused move; `field` is set when the problem is missing or wrong input (a 400), not the record's state (a 409). */
export type Transition = { ok: true } | { ok: false; reason: string; field?: string };

export function leadTransition(from: LeadStatus, to: LeadStatus, reason?: string | null): Transition {
  if (from === to) return { ok: false, reason: `lead is already ${to}` };
  if (to === 'converted') return { ok: false, reason: 'use conversion to convert a lead' };
  if (!LEAD_NEXT[from].includes(to)) return { ok: false, reason: `a ${from} lead cannot move to ${to}` };
  if (to === 'disqualified' && !reason?.trim()) return { ok: false, reason: 'a reason is required to disqualify a lead', field: 'reason' };
  return { ok: true };
}

export function canConvertLead(status: LeadStatus): Transition {
  return status === 'converted' || status === 'disqualified' ? { ok: false, reason: `a ${status} lead cannot be converted` } : { ok: true };
}

/** The configurable stage list always ends with the two closed stages, won then lost. */
export function validateStages(stages: string[]): string | null {
  if (stages.length < 3) return 'at least one open stage plus won and lost';
  if (stages.at(-2) !== 'won' || stages.at(-1) !== 'lost') return 'the last two stages must be won and lost';
  if (new Set(stages).size !== stages.length) return 'stages must be unique';
  if (stages.some((s) => !/^[a-z][a-z0-9_]{0,39}$/.test(s))) return 'stage names are lowercase letters, digits and _';
  return null;
}

export const isClosedStage = (stage: string) => stage === 'won' || stage === 'lost';

/** Any open stage may move to any other stage (deals skip and slip); closed deals reopen only explicitly to an open stage. */
export function stageTransition(stages: string[], from: string, to: string, lostReason?: string | null): Transition {
  if (!stages.includes(to)) return { ok: false, reason: `unknown stage ${to}; stages are ${stages.join(', ')}`, field: 'stage' };
  if (from === to) return { ok: false, reason: `opportunity is already in ${to}` };
  if (to === 'lost' && !lostReason?.trim())
    return { ok: false, reason: 'a reason is required to mark an opportunity lost', field: 'lostReason' };
  if (isClosedStage(from) && isClosedStage(to))
    return { ok: false, reason: `a ${from} opportunity cannot be marked ${to}; reopen it first` };
  return { ok: true };
}

/** What conversion will create or reuse, decided from plain data. */
export type ConversionPlan = {
  account: { reuseId: string } | { create: { name: string; domain: string | null; domainNormalized: string | null } };
  contact: { reuseId: string } | { create: true };
};

export function planConversion(input: {
  lead: { email: string | null; company: string | null; domain: string | null; firstName: string | null; lastName: string | null };
  accountByDomain: { id: string } | null;
  contactByEmail: { id: string } | null;
}): ConversionPlan {
  const domainNormalized = normalizeDomain(input.lead.domain) ?? domainOfEmail(input.lead.email);
  const account: ConversionPlan['account'] = input.accountByDomain
    ? { reuseId: input.accountByDomain.id }
    : {
        create: {
          name:
            input.lead.company?.trim() ||
            domainNormalized ||
            [input.lead.firstName, input.lead.lastName].filter(Boolean).join(' ') ||
            'Unnamed account',
          domain: input.lead.domain ?? domainNormalized,
          domainNormalized,
        },
      };
  return { account, contact: input.contactByEmail ? { reuseId: input.contactByEmail.id } : { create: true } };
}
