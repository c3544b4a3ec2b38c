import type { Db } from '../../db/client.js';
import { requirePermission } from '../../platform/auth/authenticate.js';
import type { Principal } from '../../platform/auth/principal.js';
import { Where } from '../../platform/http/list.js';
import { opportunities } from './crm.resources.js';
import { applyScope } from './records.repo.js';
import { scopeOf } from './records.service.js';

/** Count and ARR per stage over the opportunities the caller may see (the pipeline board's column totals). */
export async function pipelineSummary(db: Db, p: Principal, q: { ownerId?: string }) {
  requirePermission(p, 'crm:read');
  const w = new Where();
  w.add(`workspace_id = ${w.param(p.workspaceId)}`);
  applyScope(w, opportunities, scopeOf(p, 'read'), 'read');
  if (q.ownerId) w.add(`owner_id = ${w.param(q.ownerId === 'me' ? p.userId : q.ownerId)}`);
  return db.query<{ stage: string; count: number; amount: string }>(
    `select stage, count(*)::int as count, coalesce(sum(amount), 0)::numeric(16,2)::text as amount
       from opportunities ${w.sql()} group by stage`,
    w.params,
  );
}

export type TeamMemberStats = {
  userId: string;
  name: string;
  roles: string[];
  teamId: string | null;
  capacity: number;
  outOfOfficeUntil: Date | null;
  openLeads: number;
  openOpportunities: number;
  openPipeline: string;
  wonThisQuarter: number;
  wonThisQuarterAmount: string;
  sourcedThisQuarter: number;
};

/**
 * Per-rep workload and results for the manager's team screen, in one query: open leads, open pipeline
 * (count and ARR), deals won and opportunities sourced since the start of the quarter in the workspace's
 * time zone. Only people the caller may read are listed (a manager: their teams; admin and ops: anyone).
 */
export async function teamOverview(db: Db, p: Principal, q: { teamId?: string }): Promise<TeamMemberStats[]> {
  requirePermission(p, 'crm:read');
  const scope = scopeOf(p, 'read');
  const w = new Where();
  w.add(`u.workspace_id = ${w.param(p.workspaceId)}`).add('u.active');
  if (q.teamId) w.add(`u.team_id = ${w.param(q.teamId)}`);
  if (!scope.all) w.add(`u.id = any(${w.param(scope.ownerIds)})`);
  return db.query<TeamMemberStats>(
    `with members as (
       select u.id, u.name, u.roles, u.team_id, u.capacity, u.out_of_office_until, u.workspace_id from users u ${w.sql()}
     ),
     quarter as (
       select (date_trunc('quarter', now() at time zone ws.timezone) at time zone ws.timezone) as start
         from workspaces ws where ws.id = $1
     ),
     lead_counts as (
       select owner_id, count(*)::int as open_leads from leads
        where workspace_id = $1 and owner_id in (select id from members)
          and status in ('new', 'working', 'qualified', 'handed_off')
        group by owner_id
     ),
     deal_counts as (
       select owner_id,
              count(*) filter (where stage not in ('won', 'lost'))::int as open_count,
              coalesce(sum(amount) filter (where stage not in ('won', 'lost')), 0) as open_amount,
              count(*) filter (where stage = 'won' and closed_at >= (select start from quarter))::int as won_count,
              coalesce(sum(amount) filter (where stage = 'won' and closed_at >= (select start from quarter)), 0) as won_amount
         from opportunities
        where workspace_id = $1 and owner_id in (select id from members)
        group by owner_id
     ),
     sourced as (
       select sdr_id, count(*)::int as sourced_count from opportunities
        where workspace_id = $1 and sdr_id in (select id from members) and created_at >= (select start from quarter)
        group by sdr_id
     )
     select m.id as "userId", m.name, m.roles, m.team_id as "teamId", m.capacity, m.out_of_office_until as "outOfOfficeUntil",
            coalesce(l.open_leads, 0) as "openLeads",
            coalesce(d.open_count, 0) as "openOpportunities",
            coalesce(d.open_amount, 0)::numeric(16,2)::text as "openPipeline",
            coalesce(d.won_count, 0) as "wonThisQuarter",
            coalesce(d.won_amount, 0)::numeric(16,2)::text as "wonThisQuarterAmount",
            coalesce(s.sourced_count, 0) as "sourcedThisQuarter"
       from members m
       left join lead_counts l on l.owner_id = m.id
       left join deal_counts d on d.owner_id = m.id
       left join sourced s on s.sdr_id = m.id
      order by m.name`,
    w.params,
  );
}
