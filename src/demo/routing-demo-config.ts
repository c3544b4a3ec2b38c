import { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import type { Role, SegmentCode } from '../modules/org/org.core.js';
import { updateUser } from '../modules/org/org.service.js';
import { putScorecard } from '../modules/routing/qualify.service.js';
import type { Conditions, PoolSpec, Rule } from '../modules/routing/routing.core.js';
import { saveRules, updateRoutingSettings } from '../modules/routing/routing.service.js';
import { type Criterion, DEFAULT_CRITERIA, type Scorecard } from '../modules/routing/scorecard.core.js';
import { isSdr, type Team } from './routing-demo-team.js';

export const FALLBACK_QUEUE = 'triage';
export const FIRST_TOUCH_SLA_MINUTES = 60;
export const HANDOFF_SLA_MINUTES = 240;
export const CALENDAR = { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' };

/** Names of the intake rules, in order: the test and the README refer to them. */
export const INTAKE_RULES = {
  accountOwner: 'Existing customers go to their account owner',
  spears: 'Outbound prospecting (spears) goes to the outbound SDRs',
  esb: 'ESB is sold in chat by the ESB AEs',
  chat: 'Chat conversations go to Real-time Sales',
  mme: 'Mid-market & enterprise nets and seeds go to inbound SDRs (MME)',
  smb: 'SMB nets and seeds go to inbound SDRs (SMB)',
} as const;

const c = (key: string, label: string, question: string, required: boolean, options: [string, string, number][]): Criterion => ({
  key,
  label,
  question,
  required,
  options: options.map(([value, l, points]) => ({ value, label: l, points })),
});

/**
 * Mid-market and enterprise deals need a buyer, a support team big enough to matter and a security review we
 * pass: sales ops tuned that scorecard. SMB keeps the standard six criteria; ESB (sold in chat) the default card.
 */
export const SCORECARDS: Partial<Record<SegmentCode, Omit<Scorecard, 'segment'>>> = {
  SMB: { threshold: 12, criteria: DEFAULT_CRITERIA },
  MME: {
    threshold: 14,
    criteria: [
      c('need', 'Need', 'Is there a stated problem with customer conversations at scale?', true, [
        ['clear', 'Clear and stated', 3],
        ['vague', 'Vague', 1],
        ['none', 'None', 0],
      ]),
      c('authority', 'Buyer', 'Who are we talking to?', true, [
        ['economic_buyer', 'Economic buyer', 4],
        ['champion', 'Champion with access to the buyer', 3],
        ['influencer', 'Influencer', 1],
        ['none', 'No influence', 0],
      ]),
      c('support_team', 'Support team', 'How many people work in their support team?', false, [
        ['large', '50 or more', 3],
        ['mid', '10 to 49', 2],
        ['small', 'Fewer than 10', 0],
      ]),
      c('budget', 'Budget', 'Is there budget?', false, [
        ['allocated', 'Allocated this year', 3],
        ['planned', "In next year's plan", 2],
        ['none', 'None', 0],
      ]),
      c('timing', 'Timing', 'When must it be live?', false, [
        ['this_quarter', 'This quarter', 3],
        ['two_quarters', 'Within six months', 2],
        ['later', 'Later', 0],
      ]),
      c('security', 'Security review', 'Do they need SSO, audit logs or a security review?', false, [
        ['covered', 'Yes, and we cover it', 2],
        ['unknown', 'Not discussed yet', 1],
        ['blocker', 'Needs something we lack', 0],
      ]),
      c('fit', 'Fit', 'Does the company fit our ideal customer profile?', true, [
        ['strong', 'Strong', 3],
        ['partial', 'Partial', 1],
        ['poor', 'Poor', 0],
      ]),
    ],
  },
};

/** US holidays of the years around `now` (the workspace is in New York): SLA clocks stop on them. */
export function holidaysAround(now: Date, zone: string): string[] {
  const year = DateTime.fromJSDate(now).setZone(zone).year;
  const out: string[] = [];
  for (const y of [year - 1, year, year + 1]) {
    const nth = (month: number, weekday: number, n: number) => {
      const first = DateTime.fromObject({ year: y, month, day: 1 }, { zone });
      return first.plus({ days: ((weekday - first.weekday + 7) % 7) + 7 * (n - 1) });
    };
    const lastMonday = DateTime.fromObject({ year: y, month: 5, day: 31 }, { zone });
    out.push(
      `${y}-01-01`,
      lastMonday.minus({ days: (lastMonday.weekday - 1 + 7) % 7 }).toISODate()!, // Memorial Day
      `${y}-07-04`,
      nth(9, 1, 1).toISODate()!, // Labor Day
      nth(11, 4, 4).toISODate()!, // Thanksgiving
      `${y}-12-25`,
    );
  }
  return out;
}

/** Routing as sales ops set it up: settings, intake and handoff rules, scorecards. Through the services, audited. */
export async function configureRouting(tx: Db, team: Team, now: Date, timezone: string) {
  const ops = team.ops.as;
  await updateRoutingSettings(tx, ops, {
    fallbackQueue: FALLBACK_QUEUE,
    businessCalendar: { ...CALENDAR, holidays: holidaysAround(now, timezone) },
    firstTouchSlaMinutes: FIRST_TOUCH_SLA_MINUTES,
    handoffSlaMinutes: HANDOFF_SLA_MINUTES,
    slaWarningPercent: 75,
  });

  // A pool only goes in when someone is in it: saveRules refuses empty pools, and so would sales ops.
  const staffed = (pool: PoolSpec) =>
    team.members.some((m) => pool.roles.some((r) => team.has(m, r as Role)) && (!pool.segment || m.segments.includes(pool.segment)));
  const pool = (name: string, conditions: Conditions, spec: PoolSpec): Omit<Rule, 'id'>[] =>
    staffed(spec) ? [{ name, enabled: true, conditions, action: { type: 'pool', pool: spec } }] : [];
  const intakeRules = await saveRules(tx, ops, 'intake', [
    { name: INTAKE_RULES.accountOwner, enabled: true, conditions: { existingAccount: true }, action: { type: 'account_owner' } },
    ...pool(INTAKE_RULES.spears, { sourceTypes: ['spear'] }, { roles: ['sdr_outbound'] }),
    ...pool(INTAKE_RULES.esb, { segments: ['ESB'] }, { roles: ['esb_ae'], segment: 'ESB' }),
    ...pool(INTAKE_RULES.chat, { channels: ['chat'] }, { roles: ['realtime_ae'] }),
    ...pool(INTAKE_RULES.mme, { segments: ['MME'], sourceTypes: ['net', 'seed'] }, { roles: ['sdr_inbound'], segment: 'MME' }),
    ...pool(INTAKE_RULES.smb, { segments: ['SMB'], sourceTypes: ['net', 'seed'] }, { roles: ['sdr_inbound'], segment: 'SMB' }),
  ]);
  await saveRules(tx, ops, 'handoff', [
    ...pool('Mid-market & enterprise deals go to the MME AEs', { segments: ['MME'] }, { roles: ['ae'], segment: 'MME' }),
    ...pool('SMB deals go to the SMB AEs', { segments: ['SMB'] }, { roles: ['ae'], segment: 'SMB' }),
  ]);
  for (const [segment, card] of Object.entries(SCORECARDS)) await putScorecard(tx, ops, segment, card);
  return { intakeRules };
}

/**
 * Room for the week's leads. Capacity is the most open leads a rep holds before the pool skips them; the demo's
 * history runs at `scale` times a real team's volume, so at scale 1 each SDR already holds several times the
 * capacity of the roster and every new lead would fall to the fallback queue. Sales ops then raise every SDR's
 * capacity by the same factor (shares stay as the roster has them). A no-op when the history leaves room.
 */
/** `perRep`: the most new leads one SDR may get this week. */
export async function makeRoomForIntake(tx: Db, team: Team, perRep: number): Promise<number> {
  const sdrs = team.members.filter(isSdr);
  if (!sdrs.length) return 1;
  const loads = new Map(
    (
      await tx.query<{ owner_id: string; n: number }>(
        `select owner_id, count(*)::int as n from leads where workspace_id = $1 and owner_id = any($2::uuid[])
            and status in ('new', 'working', 'qualified') group by owner_id`,
        [team.ops.as.workspaceId, sdrs.map((s) => s.id)],
      )
    ).map((r) => [r.owner_id, r.n]),
  );
  const factor = Math.max(1, ...sdrs.map((s) => Math.ceil(((loads.get(s.id) ?? 0) + perRep) / Math.max(1, s.capacity))));
  if (factor > 1)
    for (const s of sdrs) {
      s.capacity *= factor;
      await updateUser(tx, team.ops.as, s.id, { capacity: s.capacity });
    }
  return factor;
}
