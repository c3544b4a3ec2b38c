import { DateTime } from 'luxon';
import type { Db } from '../../db/client.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { loadWorkspace } from '../analytics/funnel.service.js';
import { compScope, inScope } from './access.js';
import { firstDay, lastDay, monthOf } from './dates.core.js';
import { computeLines } from './engine.core.js';
import type { Assignment, CompFacts, PlanVersion } from './facts.js';
import { allAssignments, loadFacts } from './facts.repo.js';
import { quotaToOte } from './levels.core.js';
import * as plansRepo from './plans.repo.js';
import { Decimal } from './rounding.js';

/**
 * What-if (issue 7.6): a plan version (usually a draft) run through the real engine over the last 12 months of facts
 * for every rep assigned to its plan key, next to the published version in force today, without writing anything.
 * Both sides get the same people at their current level for the whole window, so the difference is the plan's alone.
 */

export const WHATIF_MONTHS = 12;
/** DOMAIN.md 6: a healthy plan has 60-75% of reps at or above quota. */
export const TARGET_AT_QUOTA = { min: '0.60', max: '0.75' };
const BUCKETS = [
  { label: 'below 50%', below: '0.5' },
  { label: '50-75%', below: '0.75' },
  { label: '75-100%', below: '1' },
  { label: '100-125%', below: '1.25' },
  { label: '125% and above', below: null },
] as const;

export type WhatIfRow = {
  userId: string;
  name: string;
  level: number;
  current: string;
  draft: string;
  difference: string;
  newArr: string;
  quota: string | null;
  attainment: string | null;
  ote: string | null;
};

export type WhatIf = {
  planKey: string;
  draftVersion: number;
  currentVersion: number | null;
  window: { from: string; to: string };
  currency: string;
  rows: WhatIfRow[];
  /** Over everyone simulated; null for a caller who may see only their own line. */
  summary: {
    reps: number;
    current: string;
    draft: string;
    newArr: string;
    costOfSales: { current: string | null; draft: string | null };
    quotaToOte: string | null;
    distribution: { label: string; reps: number }[];
    atOrAboveQuota: string | null;
    target: typeof TARGET_AT_QUOTA;
    withinTarget: boolean | null;
  } | null;
};

const ratio = (a: Decimal, b: Decimal, places = 4) =>
  b.isZero() ? null : a.div(b).toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN).toFixed(places);

/** Earned per person over the window: the net of every line the engine books (earnings, holds, releases, clawbacks, draws). */
function earnedBy(facts: CompFacts, from: string): Map<string, Decimal> {
  const out = new Map<string, Decimal>();
  for (const l of computeLines(facts)) if (l.on >= from) out.set(l.userId, (out.get(l.userId) ?? new Decimal(0)).plus(l.amount));
  return out;
}

export async function whatIf(db: Db, p: Principal, q: { planKey: string; version: number }, now: Date): Promise<WhatIf> {
  const scope = compScope(p);
  const w = await loadWorkspace(db, p.workspaceId);
  const draft = await plansRepo.findVersion(db, p.workspaceId, q.planKey, q.version);
  if (!draft) throw new AppError('not_found', `no plan ${q.planKey} version ${q.version}`, [{ path: 'version', message: 'not found' }]);
  const today = DateTime.fromJSDate(now, { zone: w.timezone }).toISODate()!;
  const published = (await plansRepo.listVersions(db, p.workspaceId, q.planKey)).filter((v) => v.status === 'published');
  const inForce =
    published.find((v) => v.effectiveFrom! <= today && (v.effectiveTo == null || v.effectiveTo >= today)) ?? published.at(-1) ?? null;
  const through = monthOf(today);
  const from = firstDay(
    DateTime.fromISO(`${through}-01`)
      .minus({ months: WHATIF_MONTHS - 1 })
      .toFormat('yyyy-MM'),
  );

  // Everyone on the key at some point in the window, at the level of their latest assignment, for the whole window.
  const onKey = (await allAssignments(db, p.workspaceId)).filter((a) => a.planKey === q.planKey && (a.to == null || a.to >= from));
  const latest = new Map<string, Assignment>();
  for (const a of onKey) if (!latest.get(a.userId) || latest.get(a.userId)!.from < a.from) latest.set(a.userId, a);
  const assignments: Assignment[] = [...latest.values()].map((a) => ({ ...a, id: `whatif-${a.userId}`, from, to: null }));
  const asVersion = (v: { version: number; document: PlanVersion['document'] }): PlanVersion[] => [
    { key: q.planKey, version: v.version, effectiveFrom: from, effectiveTo: null, document: v.document },
  ];
  const scopeOf = { workspaceId: p.workspaceId, timezone: w.timezone, currency: w.currency, throughMonth: through, now };
  const draftFacts = await loadFacts(db, scopeOf, asVersion(draft), assignments);
  const draftEarned = earnedBy(draftFacts, from);
  const currentEarned = inForce ? earnedBy(await loadFacts(db, scopeOf, asVersion(inForce), assignments), from) : new Map();

  const credit = draft.document.components.find((c) => c.type === 'commission')?.credit ?? 'ae';
  const levels = new Map(
    (
      await db.query<{ level: number; base: string; variable: string; quota: string }>(
        'select level, base, variable, quota from comp_levels where workspace_id = $1',
        [p.workspaceId],
      )
    ).map((l) => [l.level, l]),
  );
  const names = new Map(draftFacts.people.map((x) => [x.id, x.name]));
  const zero = new Decimal(0);
  const all: WhatIfRow[] = assignments.map((a) => {
    const newArr = draftFacts.deals
      .filter((d) => d.on >= from)
      .reduce(
        (s, d) =>
          d.credits
            .filter((c) => c.userId === a.userId && c.role === credit)
            .reduce((t, c) => t.plus(new Decimal(d.amount).times(c.percent).div(100)), s),
        zero,
      );
    const lvl = levels.get(a.level);
    // Quota: the level's annual quota, else the new-ARR quotas set inside the window.
    const quotaRows = draftFacts.quotas.filter(
      (x) => x.userId === a.userId && x.metric === 'new_arr' && x.start >= from && x.end <= lastDay(through),
    );
    const quota = lvl ? new Decimal(lvl.quota) : quotaRows.length ? quotaRows.reduce((s, x) => s.plus(x.amount), zero) : null;
    const cur = currentEarned.get(a.userId) ?? zero;
    const drf = draftEarned.get(a.userId) ?? zero;
    return {
      userId: a.userId,
      name: names.get(a.userId) ?? a.userId,
      level: a.level,
      current: cur.toFixed(2),
      draft: drf.toFixed(2),
      difference: drf.minus(cur).toFixed(2),
      newArr: newArr.toFixed(2),
      quota: quota?.toFixed(2) ?? null,
      attainment: quota ? ratio(newArr, quota) : null,
      ote: lvl ? quotaToOte(lvl).ote : null,
    };
  });
  all.sort((a, b) => a.name.localeCompare(b.name));
  const rows = all.filter((r) => inScope(scope, r.userId));
  const leader = scope.all || p.roles.includes('manager');
  return {
    planKey: q.planKey,
    draftVersion: draft.version,
    currentVersion: inForce?.version ?? null,
    window: { from, to: lastDay(through) },
    currency: w.currency,
    rows,
    summary: leader ? summarise(rows) : null,
  };
}

function summarise(rows: WhatIfRow[]): NonNullable<WhatIf['summary']> {
  const sum = (f: (r: WhatIfRow) => string | null) => rows.reduce((s, r) => s.plus(f(r) ?? 0), new Decimal(0));
  const newArr = sum((r) => r.newArr);
  const measured = rows.filter((r) => r.attainment != null);
  const withOte = rows.filter((r) => r.ote != null && r.quota != null);
  const atQuota = measured.filter((r) => new Decimal(r.attainment!).gte(1)).length;
  const share = measured.length ? new Decimal(atQuota).div(measured.length) : null;
  return {
    reps: rows.length,
    current: sum((r) => r.current).toFixed(2),
    draft: sum((r) => r.draft).toFixed(2),
    newArr: newArr.toFixed(2),
    costOfSales: {
      current: ratio(
        sum((r) => r.current),
        newArr,
      ),
      draft: ratio(
        sum((r) => r.draft),
        newArr,
      ),
    },
    quotaToOte: withOte.length
      ? ratio(
          withOte.reduce((s, r) => s.plus(r.quota!), new Decimal(0)),
          withOte.reduce((s, r) => s.plus(r.ote!), new Decimal(0)),
          2,
        )
      : null,
    distribution: BUCKETS.map((b, i) => ({
      label: b.label,
      reps: measured.filter((r) => {
        const a = new Decimal(r.attainment!);
        const floor = i === 0 ? null : BUCKETS[i - 1].below;
        return (floor == null || a.gte(floor)) && (b.below == null || a.lt(b.below));
      }).length,
    })),
    atOrAboveQuota: share ? share.toDecimalPlaces(4, Decimal.ROUND_HALF_EVEN).toFixed(4) : null,
    target: TARGET_AT_QUOTA,
    withinTarget: share ? share.gte(TARGET_AT_QUOTA.min) && share.lte(TARGET_AT_QUOTA.max) : null,
  };
}
