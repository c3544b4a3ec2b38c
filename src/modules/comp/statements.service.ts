import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import type { Db } from '../../db/client.js';
import { type Principal, systemPrincipal } from '../../platform/auth/principal.js';
import { AppError, notFound } from '../../platform/errors.js';
import { loadWorkspace } from '../analytics/funnel.service.js';
import { quotaAttainment } from '../quotas/quotas.service.js';
import { type CompUser, compScope, inScope, loadCompUser, loadVisibleUser, parseMonths } from './access.js';
import type { LedgerLine } from './ledger.repo.js';
import * as ledger from './ledger.repo.js';
import * as plansRepo from './plans.repo.js';
import { Decimal } from './rounding.js';

/**
 * Statements: a person's current ledger lines over a month, quarter or year, grouped (earnings, holds with what each
 * waits for, releases, forfeits, clawbacks, adjustments, draws), with totals and quota attainment. Each line keeps its
 * deal, account or lead and its arithmetic. A rep reads their own, a manager their teams', sales ops and admins
 * everyone's; another workspace's person is 404, someone outside the caller's scope 403.
 */

export type HoldView = LedgerLine & {
  status: 'waiting' | 'released' | 'forfeited';
  /** The month the hold was released or forfeited in. */
  resolvedIn: string | null;
  /** What it waits for (or waited for), in words. */
  condition: string;
};

export type Statement = {
  rep: Pick<CompUser, 'id' | 'name' | 'email' | 'teamId' | 'teamName'>;
  period: { label: string; first: string; last: string; months: { month: string; status: 'open' | 'closed'; run: boolean }[] };
  currency: string;
  plans: plansRepo.AssignmentRow[];
  lines: LedgerLine[];
  earnings: LedgerLine[];
  holds: HoldView[];
  releases: LedgerLine[];
  forfeits: LedgerLine[];
  clawbacks: LedgerLine[];
  adjustments: LedgerLine[];
  draws: LedgerLine[];
  /** Holds booked before the period that were still waiting at its end. */
  openHolds: HoldView[];
  totals: { earnings: string; holds: string; releases: string; clawbacks: string; adjustments: string; draws: string; payable: string };
  attainment: { metric: string; quota: string; rampedQuota: string; actual: string; attainment: string | null }[];
};

const total = (lines: { amount: string }[]) => lines.reduce((s, l) => s.plus(l.amount), new Decimal(0)).toFixed(2);

export async function statement(db: Db, p: Principal, q: { period: string; repId?: string }, now: Date): Promise<Statement> {
  const repId = q.repId ?? p.userId;
  if (!repId) throw new AppError('validation_failed', 'repId: required for an API key', [{ path: 'repId', message: 'required' }]);
  const rep = await loadVisibleUser(db, p, repId);
  const range = parseMonths(q.period);
  const w = await loadWorkspace(db, p.workspaceId);
  const lines = await ledger.currentLines(db, p.workspaceId, [rep.id], range.first, range.last);
  const periodRows = new Map((await ledger.periods(db, p.workspaceId)).map((r) => [r.month, r]));
  const lastClosed = [...periodRows.values()].filter((r) => r.status === 'closed').at(-1)?.month ?? null;
  const holds = await holdViews(db, p.workspaceId, rep.id, w.timezone);
  const of = (...kinds: string[]) => lines.filter((l) => kinds.includes(l.kind));
  const attainment = (
    await quotaAttainment(db, systemPrincipal(p.workspaceId), { period: range.label, teamId: rep.teamId ?? undefined }, now)
  ).rows
    .filter((r) => r.userId === rep.id)
    .map((r) => ({ metric: r.metric, quota: r.quota, rampedQuota: r.rampedQuota, actual: r.actual, attainment: r.attainment }));
  const plans = (await plansRepo.listAssignments(db, p.workspaceId, [rep.id])).filter(
    (a) => a.from <= `${range.last}-31` && (a.to == null || a.to >= `${range.first}-01`),
  );
  return {
    rep: { id: rep.id, name: rep.name, email: rep.email, teamId: rep.teamId, teamName: rep.teamName },
    period: {
      label: range.label,
      first: range.first,
      last: range.last,
      months: range.months.map((m) => ({
        month: m,
        status: lastClosed && m <= lastClosed ? 'closed' : 'open',
        run: !!periodRows.get(m)?.runId,
      })),
    },
    currency: w.currency,
    plans,
    lines,
    earnings: of('earning'),
    holds: holds.filter((h) => h.period >= range.first && h.period <= range.last),
    releases: of('release'),
    forfeits: of('forfeit'),
    clawbacks: of('clawback'),
    adjustments: of('adjustment'),
    draws: of('draw', 'draw_recovery'),
    openHolds: holds.filter((h) => h.period < range.first && (h.resolvedIn == null || h.resolvedIn > range.last)),
    totals: {
      earnings: total(of('earning')),
      holds: total(of('hold')),
      releases: total(of('release')),
      clawbacks: total(of('clawback')),
      adjustments: total(of('adjustment')),
      draws: total(of('draw', 'draw_recovery')),
      payable: total(lines),
    },
    attainment,
  };
}

/** Every hold of a person with what became of it (release or forfeit lines of the same deal and component). */
async function holdViews(db: Db, workspaceId: string, userId: string, timezone: string): Promise<HoldView[]> {
  const all = await ledger.holdHistory(db, workspaceId, userId);
  const outcome = new Map<string, LedgerLine>();
  for (const l of all) if (l.kind !== 'hold') outcome.set(l.key.slice(l.key.indexOf(':') + 1), l);
  const holds = all.filter((l) => l.kind === 'hold');
  const accounts = [...new Set(holds.map((h) => h.accountId).filter((a): a is string => !!a))];
  const milestones = new Map(
    (
      await db.query<{
        accountId: string;
        name: string;
        status: string;
        windowEnd: Date;
        progress: { label: string; value: number; target: number }[];
      }>(
        `select distinct on (am.account_id) am.account_id as "accountId", m.name, am.status, am.window_end as "windowEnd", am.progress
           from account_milestones am join milestones m on m.id = am.milestone_id
          where am.workspace_id = $1 and am.account_id = any($2::uuid[]) order by am.account_id, am.window_end desc`,
        [workspaceId, accounts],
      )
    ).map((m) => [m.accountId, m]),
  );
  return holds.map((h) => {
    const done = outcome.get(h.key.slice(h.key.indexOf(':') + 1));
    const m = h.accountId ? milestones.get(h.accountId) : undefined;
    const progress = m?.progress?.length ? `; progress ${m.progress.map((c) => `${c.label} ${c.value}/${c.target}`).join(', ')}` : '';
    const waiting = m
      ? `${h.accountName ?? 'the account'} reaching its aha milestone "${m.name}" (${m.status}, window ends ${DateTime.fromJSDate(m.windowEnd, { zone: timezone }).toISODate()}${progress})`
      : `${h.accountName ?? 'the account'} reaching its aha milestone (none tracked yet)`;
    return {
      ...h,
      status: done?.kind === 'release' ? 'released' : done?.kind === 'forfeit' ? 'forfeited' : 'waiting',
      resolvedIn: done?.period ?? null,
      condition: done ? String(done.inputs.why ?? done.arithmetic) : waiting,
    };
  });
}

/** Totals per person over a period, for everyone in the caller's scope (or one team). */
export async function statementSummaries(db: Db, p: Principal, q: { period: string; teamId?: string }) {
  const ids = await scopedPeople(db, p, { teamId: q.teamId });
  const range = parseMonths(q.period);
  const rows = await db.query<{ userId: string; name: string; email: string; kind: string; total: string; lines: number }>(
    `select l.user_id as "userId", u.name, u.email, l.kind, sum(l.amount)::numeric(16,2)::text as total, count(*)::int as lines
       from comp_ledger l join comp_periods p on p.workspace_id = l.workspace_id and p.period = l.period
       join users u on u.id = l.user_id
      where l.workspace_id = $1 and l.period between ($2 || '-01')::date and ($3 || '-01')::date and (l.run_id = p.run_id or l.run_id is null)
        and ($4::uuid[] is null or l.user_id = any($4::uuid[]))
      group by l.user_id, u.name, u.email, l.kind order by u.name, l.kind`,
    [p.workspaceId, range.first, range.last, ids],
  );
  const people = new Map<
    string,
    { userId: string; name: string; email: string; lines: number; byKind: Record<string, string>; payable: string }
  >();
  for (const r of rows) {
    const x = people.get(r.userId) ?? { userId: r.userId, name: r.name, email: r.email, lines: 0, byKind: {}, payable: '0.00' };
    x.lines += r.lines;
    x.byKind[r.kind] = r.total;
    x.payable = new Decimal(x.payable).plus(r.total).toFixed(2);
    people.set(r.userId, x);
  }
  return { period: range, items: [...people.values()] };
}

/** The people a filter names, within the caller's scope: 404 outside the workspace, 403 outside the scope. */
async function scopedPeople(db: Db, p: Principal, q: { repId?: string; teamId?: string }): Promise<string[] | null> {
  const scope = compScope(p);
  if (q.repId) return [(await loadVisibleUser(db, p, q.repId)).id];
  if (q.teamId) {
    const [team] = await db.query('select 1 from teams where workspace_id = $1 and id = $2', [p.workspaceId, q.teamId]);
    if (!team) throw new AppError('not_found', 'no such team in this workspace', [{ path: 'teamId', message: 'not found' }]);
    const members = (
      await db.query<{ id: string }>('select id from users where workspace_id = $1 and team_id = $2', [p.workspaceId, q.teamId])
    ).map((m) => m.id);
    if (members.some((id) => !inScope(scope, id)))
      throw new AppError('forbidden', "you may not see this team's compensation", [{ path: 'teamId', message: 'outside your scope' }]);
    return members;
  }
  return scope.all ? null : scope.userIds;
}

/** CSV of the current lines of one person, a team or everyone in scope over a period: one row per line. */
export async function statementsCsv(
  db: Db,
  p: Principal,
  q: { period: string; repId?: string; teamId?: string },
): Promise<{ label: string; csv: string }> {
  const ids = await scopedPeople(db, p, q);
  const range = parseMonths(q.period);
  const userIds = ids ?? (await db.query<{ id: string }>('select id from users where workspace_id = $1', [p.workspaceId])).map((u) => u.id);
  const people = new Map(
    (
      await db.query<{ id: string; name: string; email: string }>(
        'select id, name, email from users where workspace_id = $1 and id = any($2::uuid[])',
        [p.workspaceId, userIds],
      )
    ).map((u) => [u.id, u]),
  );
  const lines = await ledger.currentLines(db, p.workspaceId, userIds, range.first, range.last);
  const header = [
    'line_id',
    'period',
    'event_period',
    'rep',
    'email',
    'kind',
    'component',
    'rule',
    'plan',
    'deal',
    'account',
    'event_at',
    'amount',
    'arithmetic',
    'reason',
  ];
  const csv = stringify([
    header,
    ...lines.map((l) => [
      l.id,
      l.period,
      l.eventPeriod ?? '',
      people.get(l.userId)?.name ?? '',
      people.get(l.userId)?.email ?? '',
      l.kind,
      l.component,
      l.rule,
      l.planKey ? `${l.planKey} v${l.planVersion}` : '',
      l.opportunityName ?? '',
      l.accountName ?? '',
      l.eventAt.toISOString(),
      l.amount,
      l.arithmetic,
      l.reason ?? '',
    ]),
  ]);
  return { label: range.label, csv };
}

/** One ledger line with its deal and arithmetic (the drill-down of a statement line). */
export async function ledgerLine(db: Db, p: Principal, id: string) {
  const scope = compScope(p);
  const line = await ledger.findLine(db, p.workspaceId, id);
  if (!line) throw notFound('ledger line');
  if (!inScope(scope, line.userId)) throw new AppError('forbidden', "you may not see this person's compensation");
  const rep = await loadCompUser(db, p.workspaceId, line.userId);
  return { ...line, rep: { id: rep.id, name: rep.name, email: rep.email } };
}
