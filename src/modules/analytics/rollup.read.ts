import type { Db } from '../../db/client.js';
import { addCount, addDuration, emptyTotals, type GroupTotals, type Measure, type Transition } from './funnel.core.js';
import { type DateRange, splitRange } from './periods.core.js';

export const GROUP_BYS = ['none', 'rep', 'team', 'segment', 'source_type', 'channel'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
export type View = 'cohort' | 'period';

export type Filters = { repId?: string; teamId?: string; segment?: string; sourceType?: string; channel?: string };

export type RollupQuery = {
  workspaceId: string;
  view: View;
  range: DateRange;
  groupBy: GroupBy;
  /** Only these reps' facts (null: every fact, unassigned ones included). */
  repIds: string[] | null;
  filters: Filters;
};

const KEY: Record<GroupBy, string> = {
  none: `''`,
  rep: 'c.rep_id::text',
  team: 'u.team_id::text',
  segment: 'c.segment',
  source_type: 'c.source_type',
  channel: 'c.channel',
};

/** The grain rows covering the range: whole months from the monthly grain, loose days from the daily one. */
function coverage(table: string) {
  return `(select * from ${table} where workspace_id = $1 and grain = 'm' and view = $2 and day = any($3::date[])
           union all
           select * from ${table} where workspace_id = $1 and grain = 'd' and view = $2 and day = any($4::date[]))`;
}

const FILTERS = `($5::uuid[] is null or c.rep_id = any($5::uuid[]))
   and ($6::uuid is null or c.rep_id = $6)
   and ($7::uuid is null or u.team_id = $7)
   and ($8::text is null or c.segment = $8)
   and ($9::text is null or c.source_type = $9)
   and ($10::text is null or c.channel = $10)`;

function params(q: RollupQuery) {
  const { months, days } = splitRange(q.range);
  const f = q.filters;
  return [
    q.workspaceId,
    q.view === 'cohort' ? 'c' : 'p',
    months,
    days,
    q.repIds,
    f.repId ?? null,
    f.teamId ?? null,
    f.segment ?? null,
    f.sourceType ?? null,
    f.channel ?? null,
  ];
}

/** Sums the rollups per group (key '' when not grouped; null for facts without a value, e.g. unassigned). */
export async function readTotals(db: Db, q: RollupQuery): Promise<Map<string | null, GroupTotals>> {
  const p = params(q);
  const [counts, durations] = await Promise.all([
    db.query<{ key: string | null; measure: Measure; n: number; amount: string }>(
      `select ${KEY[q.groupBy]} as key, c.measure, sum(c.n)::int as n, sum(c.amount)::numeric(18,2) as amount
         from ${coverage('analytics_counts')} c left join users u on u.id = c.rep_id
        where ${FILTERS}
        group by 1, 2`,
      p,
    ),
    db.query<{ key: string | null; transition: Transition; bucket: number; n: number }>(
      `select ${KEY[q.groupBy]} as key, c.transition, c.bucket, sum(c.n)::int as n
         from ${coverage('analytics_durations')} c left join users u on u.id = c.rep_id
        where ${FILTERS}
        group by 1, 2, 3`,
      p,
    ),
  ]);
  const out = new Map<string | null, GroupTotals>();
  const group = (key: string | null) => {
    let g = out.get(key);
    if (!g) {
      g = emptyTotals();
      out.set(key, g);
    }
    return g;
  };
  for (const r of counts) addCount(group(r.key), r.measure, r.n, r.amount);
  for (const r of durations) addDuration(group(r.key), r.transition, r.bucket, r.n);
  return out;
}

/** Per calendar month and rep (period view): the raw material of best-month bounds and trends. */
export async function readMonthlyByRep(
  db: Db,
  workspaceId: string,
  range: DateRange,
  repIds: string[] | null,
): Promise<{ month: string; repId: string | null; teamId: string | null; measure: Measure; n: number; amount: string }[]> {
  const { months } = splitRange(range);
  return db.query(
    `select c.day::text as month, c.rep_id as "repId", u.team_id as "teamId", c.measure, sum(c.n)::int as n,
            sum(c.amount)::numeric(18,2) as amount
       from analytics_counts c left join users u on u.id = c.rep_id
      where c.workspace_id = $1 and c.grain = 'm' and c.view = 'p' and c.day = any($2::date[])
        and ($3::uuid[] is null or c.rep_id = any($3::uuid[]))
      group by 1, 2, 3, 4`,
    [workspaceId, months, repIds],
  );
}
