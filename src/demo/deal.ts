import { domainOfEmail, normalizeDomain, normalizeEmail } from '../modules/crm/crm.core.js';
import { DAY, HOUR, isoDate, workTime } from './calendar.js';
import { LOST_REASONS } from './catalog.js';
import { type Created, type DemoContext, dollars, type Rep, rep, roundTo } from './context.js';
import { csmFor, simulateCustomer } from './customer.js';
import type { LeadFacts } from './lead.js';
import { CHAT_CYCLE_DAYS, CHAT_PATH, FULL_PATH, SEGMENT, STAGE_AT } from './shape.js';

const STAGE_ACTIVITY: Record<string, [kind: string, subject: string]> = {
  discovery: ['meeting', 'Discovery call'],
  trial: ['task', 'Trial kickoff: install the messenger, first "aha" in 14 days'],
  proposal: ['email', 'Proposal sent'],
  negotiation: ['call', 'Negotiation: terms and start date'],
};

/**
 * Conversion and the deal that follows, as lead conversion does it: the account matched by normalised domain
 * (free mail never matches) or created, the contact matched by normalised email or created, then the
 * opportunity moving through its stages to won or lost (or still open at `now`), every move in status_changes.
 */
export function simulateDeal(
  ctx: DemoContext,
  lead: LeadFacts,
  ae: Rep,
  convertedAt: number,
  opts: { win?: boolean; winP: number; cycleDays: number; chatPath: boolean; speed: number },
) {
  const { rng, w } = ctx;
  const seg = SEGMENT[lead.segment];
  const opportunityId = ctx.ids.next();

  // Decide the outcome first: the account's CSM depends on whether it becomes a customer.
  const win = opts.win ?? rng.chance(Math.min(0.9, opts.winP * seg.win * ae.skill.win));
  const base = opts.chatPath ? CHAT_CYCLE_DAYS[lead.segment === 'ESB' ? 'ESB' : 'SMB'] : opts.cycleDays * seg.cycle;
  const cycle = base * ae.skill.speed * opts.speed * rng.logNormal(1, 0.45) * DAY;
  const path: readonly string[] = opts.chatPath ? CHAT_PATH : FULL_PATH;
  const amount = roundTo(lead.expectedArr * (0.8 + rng.float() * 0.45), 100);

  const moves: { stage: string; at: number }[] = [{ stage: 'discovery', at: convertedAt }];
  const reached = win ? path.length : rng.int(1, path.length);
  for (let i = 1; i < reached; i++) {
    const at = workTime(convertedAt + cycle * STAGE_AT[path[i]] * (0.85 + rng.float() * 0.3), rng);
    moves.push({ stage: path[i], at: Math.max(at, moves[i - 1].at + HOUR) });
  }
  const endFraction = win ? 1 : (STAGE_AT[path[reached]] ?? 1) * (0.75 + rng.float() * 0.25);
  const lostReason = win ? null : ae.person.key === 'annie' && rng.chance(0.6) ? 'Trial never activated' : rng.pick(LOST_REASONS);
  moves.push({ stage: win ? 'won' : 'lost', at: Math.max(workTime(convertedAt + cycle * endFraction, rng), moves.at(-1)!.at + HOUR) });

  const domainKey = normalizeDomain(lead.domain) ?? domainOfEmail(lead.person.email);
  const emailKey = normalizeEmail(lead.person.email)!;
  const wonAt = win && moves.at(-1)!.at <= ctx.now ? moves.at(-1)!.at : null;
  const csm = wonAt ? csmFor(ctx, lead.segment, amount) : null;

  const c = lead.company;
  const accountId = reuse(ctx, 'accounts', domainKey ? ctx.accountsByDomain.get(domainKey) : undefined, convertedAt, (id) => {
    if (domainKey) ctx.accountsByDomain.set(domainKey, { id, at: convertedAt });
    w.add(
      'accounts',
      id,
      c.name,
      lead.domain ?? domainKey,
      domainKey,
      c.employees,
      c.industry,
      c.country,
      lead.segment,
      ae.id,
      csm?.id,
      convertedAt,
      wonAt ?? convertedAt,
    );
  });
  const contactId = reuse(ctx, 'contacts', ctx.contactsByEmail.get(emailKey), convertedAt, (id) => {
    ctx.contactsByEmail.set(emailKey, { id, at: convertedAt });
    const p = lead.person;
    w.add('contacts', id, accountId, p.first, p.last, p.email, emailKey, p.title, p.phone, ae.id, convertedAt, convertedAt);
  });

  let stage = 'discovery';
  let last = convertedAt;
  let closedAt: number | null = null;
  for (const m of moves) {
    if (m.at > ctx.now) break;
    const closing = m.stage === 'won' || m.stage === 'lost';
    w.add(
      'status_changes',
      'opportunity',
      opportunityId,
      'stage',
      m.stage === 'discovery' ? null : stage,
      m.stage,
      m.stage === 'lost' ? lostReason : null,
      ae.id,
      m.at,
    );
    const [kind, subject] = STAGE_ACTIVITY[m.stage] ?? ['note', m.stage === 'won' ? 'Closed won' : `Closed lost: ${lostReason}`];
    const actAt = closing ? m.at : Math.min(ctx.now, m.at + rng.int(1, 48) * HOUR);
    w.add(
      'activities',
      ctx.ids.next(),
      kind,
      `${subject} · ${lead.company.name}`,
      null,
      'opportunity',
      opportunityId,
      ae.id,
      actAt,
      true,
      actAt,
    );
    if (m.stage === 'trial' && lead.segment === 'MME')
      w.add(
        'activities',
        ctx.ids.next(),
        'meeting',
        `Technical deep dive · ${lead.company.name}`,
        null,
        'opportunity',
        opportunityId,
        rep(ctx, 'sean').id,
        actAt,
        true,
        actAt,
      );
    stage = m.stage;
    last = m.at;
    if (closing) closedAt = m.at;
  }
  // Open deals carry the date the rep expects to close; closed ones the day they closed.
  const closeDate = isoDate(closedAt ?? Math.max(convertedAt + cycle, ctx.now + DAY));
  w.add(
    'opportunities',
    opportunityId,
    lead.company.name,
    accountId,
    contactId,
    lead.id,
    stage,
    stage === 'lost' ? lostReason : null,
    dollars(amount),
    closeDate,
    ae.id,
    lead.ownerId,
    lead.segment,
    lead.source,
    closedAt,
    convertedAt,
    last,
  );

  if (wonAt && csm)
    simulateCustomer(ctx, {
      accountId,
      opportunityId,
      segment: lead.segment,
      source: lead.source,
      arr: amount,
      start: wonAt,
      ae,
      csm,
      company: lead.company.name,
    });
  return { opportunityId, accountId, contactId, stage };
}

/** The existing record (moved back in time if this conversion comes first), or a new one written by `create`. */
function reuse(ctx: DemoContext, table: 'accounts' | 'contacts', known: Created | undefined, at: number, create: (id: string) => void) {
  if (!known) {
    const id = ctx.ids.next();
    create(id);
    return id;
  }
  if (at < known.at) {
    known.at = at;
    ctx.backdate[table].set(known.id, at);
  }
  return known.id;
}
