import { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { type Channel, normalizeDomain, normalizeEmail } from '../modules/crm/crm.core.js';
import type { LeadCreate } from '../modules/crm/crm.schema.js';
import type { SegmentCode } from '../modules/org/org.core.js';
import type { BusinessCalendar } from '../modules/routing/sla.core.js';
import { type Company, companyOf, personAt } from './catalog.js';
import type { Rng } from './rng.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export type Window = { open: number; close: number };

/** The last `n` business days of the calendar that opened before `now`, oldest first; today's ends at `now`. */
export function recentBusinessDays(now: number, cal: BusinessCalendar, n: number): Window[] {
  const out: Window[] = [];
  const at = (day: DateTime, hhmm: string) => {
    const [h, m] = hhmm.split(':').map(Number);
    return day.set({ hour: h, minute: m }).toMillis();
  };
  let day = DateTime.fromMillis(now, { zone: cal.timezone }).startOf('day');
  for (let guard = 0; out.length < n && guard < 60; guard++, day = day.minus({ days: 1 })) {
    if (!cal.days.includes(day.weekday) || cal.holidays?.includes(day.toISODate()!)) continue;
    const open = at(day, cal.start);
    if (open >= now - 30 * MINUTE) continue;
    out.push({ open, close: Math.min(at(day, cal.end), now) });
  }
  return out.reverse();
}

/** Leads arrive in working hours mostly; web forms also in the evening (first touch is then due the next morning). */
function arrival(rng: Rng, windows: Window[], now: number, evenings: boolean): number {
  const w = rng.weighted(windows.map((x) => [x, x.close - x.open] as const));
  if (evenings && rng.chance(0.15) && w.close + HOUR < now) return Math.min(now - MINUTE, w.close + rng.float() * 5 * HOUR);
  return w.open + rng.float() * (w.close - w.open);
}

export type PlannedLead = {
  input: LeadCreate;
  /** fresh: a new lead; repeat: the same person again (merges); returning: a disqualified lead's email (flagged); customer: an existing account's domain. */
  kind: 'fresh' | 'repeat' | 'returning' | 'customer';
  /** For a repeat: the index of the lead it repeats. */
  repeatOf?: number;
  at: number;
};

// Channels of the week's leads, by weight: nets (forms, sign-ups, calls, events, chat), spears (outbound), seeds.
const CHANNEL_MIX: [Channel, number][] = [
  ['website', 34],
  ['signup', 40],
  ['newsletter', 10],
  ['call', 8],
  ['event', 6],
  ['chat', 16],
  ['outbound_email', 52],
  ['linkedin', 22],
  ['referral', 8],
  ['partner', 4],
];
const SEGMENT_MIX: Record<string, [SegmentCode, number][]> = {
  forms: [
    ['ESB', 35],
    ['SMB', 45],
    ['MME', 20],
  ],
  chat: [
    ['ESB', 20],
    ['SMB', 60],
    ['MME', 20],
  ],
  sales: [
    ['SMB', 55],
    ['MME', 45],
  ],
};
const ARR: Record<SegmentCode, [number, number]> = { ESB: [600, 4_800], SMB: [6_000, 45_000], MME: [50_000, 300_000] };
const OUTBOUND = new Set<Channel>(['outbound_email', 'linkedin']);

const mixOf = (ch: Channel) => (['website', 'signup', 'newsletter'].includes(ch) ? 'forms' : ch === 'chat' ? 'chat' : 'sales');

function leadFrom(rng: Rng, company: Company, segment: SegmentCode, channel: Channel, at: number, sized: boolean): LeadCreate {
  const person = personAt(rng, company, segment);
  const [lo, hi] = ARR[segment];
  return {
    email: person.email,
    firstName: person.first,
    lastName: person.last,
    company: company.name,
    domain: person.freeMail ? null : company.domain,
    title: person.title,
    phone: person.phone,
    employees: sized ? company.employees : null,
    expectedArr: sized ? `${Math.round(rng.logUniform(lo, hi) / 100) * 100}.00` : null,
    country: company.country,
    channel,
    createdAt: new Date(at).toISOString(),
  };
}

export type ReturningLead = {
  email: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  employees: number | null;
  country: string | null;
};
export type CustomerAccount = {
  name: string;
  domain: string;
  employees: number | null;
  country: string | null;
  segment: SegmentCode | null;
};

/**
 * The week's new leads: `count` fresh ones (none colliding with an existing lead's email or an account's domain,
 * so each one's route is the rule it was meant to show), plus people submitting twice, returning disqualified
 * leads and colleagues at existing customers.
 */
export async function planLeads(
  db: Db,
  workspaceId: string,
  rng: Rng,
  opts: { windows: Window[]; now: number; count: number; repeats: number; returning: ReturningLead[]; customers: CustomerAccount[] },
): Promise<PlannedLead[]> {
  const { windows, now } = opts;
  const candidates: PlannedLead[] = [];
  let forms = 0;
  for (let i = 0; i < Math.ceil(opts.count * 1.3); i++) {
    const channel = rng.weighted(CHANNEL_MIX);
    const segment = rng.weighted(SEGMENT_MIX[mixOf(channel)]);
    const at = arrival(rng, windows, now, !OUTBOUND.has(channel) && channel !== 'call');
    // One form in twenty comes without a company size: no segment, no rule matches, the fallback queue.
    const form = mixOf(channel) === 'forms';
    if (form) forms++;
    const sized = !(form && forms % 20 === 5);
    candidates.push({ kind: 'fresh', at, input: leadFrom(rng, companyOf(segment, rng.int(0, 11_999)), segment, channel, at, sized) });
  }
  const emails = candidates.map((c) => normalizeEmail(c.input.email)).filter((x): x is string => !!x);
  const domains = candidates.map((c) => normalizeDomain(c.input.domain)).filter((x): x is string => !!x);
  const [taken] = await db.query<{ emails: string[]; domains: string[] }>(
    `select coalesce((select array_agg(distinct email_normalized) from leads where workspace_id = $1 and email_normalized = any($2::text[])), '{}') as emails,
            coalesce((select array_agg(domain_normalized) from accounts where workspace_id = $1 and domain_normalized = any($3::text[])), '{}') as domains`,
    [workspaceId, emails, domains],
  );
  const takenEmails = new Set(taken.emails);
  const takenDomains = new Set(taken.domains);
  const seen = new Set<string>();
  const fresh = candidates
    .filter((c) => {
      const e = normalizeEmail(c.input.email)!;
      const d = normalizeDomain(c.input.domain);
      if (takenEmails.has(e) || (d && takenDomains.has(d)) || seen.has(e)) return false;
      seen.add(e);
      return true;
    })
    .slice(0, opts.count);

  const plan: PlannedLead[] = [...fresh];
  // People who fill in a second form before anyone called them back: merged into their open lead.
  const formFills = fresh.map((l, i) => ({ l, i })).filter(({ l }) => mixOf(l.input.channel) === 'forms' && l.at < now - 2 * HOUR);
  for (const { l, i } of formFills.slice(0, opts.repeats)) {
    const at = Math.min(now - MINUTE, l.at + rng.int(20, 20 * 60) * MINUTE);
    const channel = rng.pick((['website', 'signup', 'newsletter', 'event'] as Channel[]).filter((c) => c !== l.input.channel));
    const { email, firstName, lastName, company } = l.input;
    plan.push({
      kind: 'repeat',
      repeatOf: i,
      at,
      input: { email, firstName, lastName, company, channel, createdAt: new Date(at).toISOString() },
    });
  }
  for (const r of opts.returning) {
    const at = arrival(rng, windows, now, true);
    plan.push({
      kind: 'returning',
      at,
      input: {
        email: r.email,
        firstName: r.firstName,
        lastName: r.lastName,
        company: r.company,
        employees: r.employees,
        country: r.country,
        channel: 'signup',
        createdAt: new Date(at).toISOString(),
      },
    });
  }
  for (const a of opts.customers) {
    const at = arrival(rng, windows, now, false);
    const company: Company = { name: a.name, domain: a.domain, employees: a.employees ?? 50, industry: '', country: a.country ?? 'US' };
    const input = leadFrom(rng, company, a.segment ?? 'SMB', rng.pick(['website', 'call', 'event'] as Channel[]), at, true);
    // A colleague of the customer, on the company's own domain (a free-mail address would not link to the account).
    input.email = `${(input.firstName ?? 'team').toLowerCase()}.${(input.lastName ?? 'lead').toLowerCase()}@${a.domain}`;
    input.domain = a.domain;
    plan.push({ kind: 'customer', at, input });
  }
  return plan;
}

/** Recently disqualified leads whose people may come back, and customer accounts with a working owner. */
export async function loadReturnCandidates(db: Db, workspaceId: string, now: Date, n: { returning: number; customers: number }) {
  // Newest first along the status index; the few that have an open lead with the same email are skipped.
  const returning = await db.query<ReturningLead>(
    `select d.email, d.first_name as "firstName", d.last_name as "lastName", d.company, d.employees, d.country
       from (select * from leads where workspace_id = $1 and status = 'disqualified' and created_at < $2::timestamptz - interval '14 days'
              order by created_at desc, id desc limit 50) d
      where d.email_normalized is not null
        and not exists (select 1 from leads o where o.workspace_id = $1 and o.email_normalized = d.email_normalized
                          and o.status in ('new', 'working', 'qualified', 'handed_off'))
      order by d.created_at desc, d.email_normalized limit $3`,
    [workspaceId, now, n.returning],
  );
  const customers = await db.query<CustomerAccount>(
    `select a.name, a.domain_normalized as domain, a.employees, a.country, a.segment
       from accounts a join users u on u.id = a.owner_id
      where a.workspace_id = $1 and a.domain_normalized is not null and u.active and a.created_at < $2
        and (u.out_of_office_until is null or u.out_of_office_until <= $2)
      order by a.created_at desc, a.domain_normalized limit $3`,
    [workspaceId, now, n.customers],
  );
  return { returning, customers };
}
