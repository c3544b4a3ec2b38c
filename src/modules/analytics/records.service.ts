import { DateTime } from 'luxon';
import type { Db } from '../../db/client.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import type { DRILL_MEASURES } from './analytics.schema.js';
import { type FunnelQuery, loadWorkspace, resolveRange } from './funnel.service.js';
import { analyticsScope, checkFilters } from './scope.js';

type DrillMeasure = (typeof DRILL_MEASURES)[number];

const FIRST_QUALIFIED = `(select min(s.changed_at) from status_changes s where s.workspace_id = $1 and s.record_type = 'lead'
  and s.record_id = l.id and s.field = 'status' and s.to_value = 'qualified')`;

const LEAD_COLS = `'lead' as type, l.id, coalesce(nullif(l.company, ''), l.email, 'Lead') as name, l.owner_id as rep_id, l.segment,
  l.source_type, l.channel, null::numeric as amount, l.status as state`;
const DEAL_COLS = (rep: string) => `'opportunity' as type, o.id, o.name, ${rep} as rep_id, o.segment, o.source_type, l.channel,
  o.amount, o.stage as state`;
const NEW_LOGO = `o.account_id is not null and not exists (select 1 from opportunities x where x.workspace_id = $1
  and x.account_id = o.account_id and x.stage = 'won' and x.closed_at is not null and (x.closed_at, x.id) < (o.closed_at, o.id))`;

/** The same definitions as the rollups (rollup.sql.ts), over the base tables, for one measure: the drill-down. */
function source(measure: DrillMeasure, view: 'cohort' | 'period'): string {
  const inRange = (c: string) => `${c} >= $2 and ${c} < $3`;
  const rep = measure === 'sourced' ? 'o.sdr_id' : 'o.owner_id';
  if (measure === 'leads')
    return `select ${LEAD_COLS}, l.created_at as at from leads l where l.workspace_id = $1 and ${inRange('l.created_at')}`;
  if (measure === 'qualified')
    return view === 'period'
      ? `select * from (select ${LEAD_COLS}, ${FIRST_QUALIFIED} as at from leads l where l.workspace_id = $1 and l.id in (
           select s.record_id from status_changes s where s.workspace_id = $1 and s.record_type = 'lead' and s.field = 'status'
              and s.to_value = 'qualified' and ${inRange('s.changed_at')})) q where ${inRange('q.at')}`
      : `select ${LEAD_COLS}, l.created_at as at from leads l where l.workspace_id = $1 and ${inRange('l.created_at')}
           and ${FIRST_QUALIFIED} is not null`;
  const outcome =
    measure === 'customers'
      ? `o.stage = 'won'`
      : measure === 'lost'
        ? `o.stage = 'lost'`
        : measure === 'new_logos'
          ? `o.stage = 'won' and ${NEW_LOGO}`
          : measure === 'sourced'
            ? 'o.sdr_id is not null'
            : 'true';
  if (view === 'cohort')
    return `select ${DEAL_COLS(rep)}, coalesce(l.created_at, o.created_at) as at from opportunities o left join leads l on l.id = o.lead_id
             where o.workspace_id = $1 and ${outcome} and (
               (o.lead_id is not null and ${inRange('l.created_at')}) or (o.lead_id is null and ${inRange('o.created_at')}))`;
  const dated = measure === 'opportunities' || measure === 'sourced' ? 'o.created_at' : 'o.closed_at';
  return `select ${DEAL_COLS(rep)}, ${dated} as at from opportunities o left join leads l on l.id = o.lead_id
           where o.workspace_id = $1 and ${outcome} and ${dated} is not null and ${inRange(dated)}`;
}

export type DrillRecord = {
  type: 'lead' | 'opportunity';
  id: string;
  name: string;
  repId: string | null;
  repName: string | null;
  segment: string | null;
  sourceType: string | null;
  channel: string | null;
  amount: string | null;
  state: string;
  at: Date;
};

/** The leads or deals behind one number of the funnel, newest first. */
export async function drillRecords(db: Db, p: Principal, q: FunnelQuery & { measure: DrillMeasure; limit?: number }, now: Date) {
  const w = await loadWorkspace(db, p.workspaceId);
  const range = resolveRange(q, w, now);
  const scope = await analyticsScope(db, p);
  const filters = { repId: q.repId, teamId: q.teamId, segment: q.segment, sourceType: q.sourceType, channel: q.channel };
  const repIds = await checkFilters(db, p.workspaceId, scope, filters);
  const view = q.view ?? 'period';
  const lo = DateTime.fromISO(range.from, { zone: w.timezone }).toJSDate();
  const hi = DateTime.fromISO(range.to, { zone: w.timezone }).plus({ days: 1 }).toJSDate();
  const limit = q.limit ?? 200;
  const rows = await db.query<DrillRecord>(
    `select r.type, r.id, r.name, r.rep_id as "repId", u.name as "repName", r.segment, r.source_type as "sourceType", r.channel,
            r.amount, r.state, r.at
       from (${source(q.measure, view)}) r left join users u on u.id = r.rep_id
      where ($4::uuid[] is null or r.rep_id = any($4::uuid[]))
        and ($5::uuid is null or r.rep_id = $5) and ($6::uuid is null or u.team_id = $6)
        and ($7::text is null or r.segment = $7) and ($8::text is null or r.source_type = $8) and ($9::text is null or r.channel = $9)
      order by r.at desc, r.id
      limit $10`,
    [
      p.workspaceId,
      lo,
      hi,
      repIds,
      filters.repId ?? null,
      filters.teamId ?? null,
      q.segment ?? null,
      q.sourceType ?? null,
      q.channel ?? null,
      limit + 1,
    ],
  );
  return { measure: q.measure, view, range, items: rows.slice(0, limit), truncated: rows.length > limit };
}

/** Open deals with their days in the current stage (since the last stage change, or creation), per rep and stage. */
export async function openDeals(db: Db, p: Principal, q: { repId?: string; teamId?: string; stage?: string }, now: Date) {
  const scope = await analyticsScope(db, p);
  const repIds = await checkFilters(db, p.workspaceId, scope, { repId: q.repId, teamId: q.teamId });
  if (q.stage === 'won' || q.stage === 'lost')
    throw new AppError('validation_failed', 'stage: must be an open stage', [{ path: 'stage', message: 'must be an open stage' }]);
  const items = await db.query<{
    id: string;
    name: string;
    stage: string;
    amount: string;
    repId: string | null;
    repName: string | null;
    enteredAt: Date;
    daysInStage: number;
  }>(
    `select o.id, o.name, o.stage, o.amount, o.owner_id as "repId", u.name as "repName", e.entered_at as "enteredAt",
            floor(extract(epoch from ($2::timestamptz - e.entered_at)) / 86400)::int as "daysInStage"
       from opportunities o left join users u on u.id = o.owner_id
       cross join lateral (select coalesce((select max(s.changed_at) from status_changes s where s.workspace_id = $1
             and s.record_type = 'opportunity' and s.record_id = o.id and s.field = 'stage'), o.created_at) as entered_at) e
      where o.workspace_id = $1 and o.stage not in ('won', 'lost')
        and ($3::uuid[] is null or o.owner_id = any($3::uuid[])) and ($4::uuid is null or o.owner_id = $4)
        and ($5::uuid is null or u.team_id = $5) and ($6::text is null or o.stage = $6)
      order by "daysInStage" desc, o.id
      limit 2000`,
    [p.workspaceId, now, repIds, q.repId ?? null, q.teamId ?? null, q.stage ?? null],
  );
  const byStage = new Map<string, number[]>();
  for (const d of items) byStage.set(d.stage, [...(byStage.get(d.stage) ?? []), d.daysInStage]);
  const stats = [...byStage.entries()].map(([stage, list]) => {
    const s = [...list].sort((a, b) => a - b);
    return {
      stage,
      open: s.length,
      medianDays: s[Math.ceil(s.length / 2) - 1],
      p75Days: s[Math.ceil(s.length * 0.75) - 1],
      maxDays: s[s.length - 1],
    };
  });
  return { stages: stats, items: items.slice(0, 500) };
}
