import type { Db } from '../../db/client.js';
import { requirePermission } from '../../platform/auth/authenticate.js';
import type { Principal } from '../../platform/auth/principal.js';
import { Where } from '../../platform/http/list.js';
import { leads } from '../crm/crm.resources.js';
import { applyScope } from '../crm/records.repo.js';
import { scopeOf } from '../crm/records.service.js';

/**
 * The SDR queue: open leads the caller owns (or, for managers and ops, their scope), plus unassigned
 * leads sitting in a queue. Ordered by urgency: first-touch SLA breached first, then the nearest
 * deadline, then the best score, then the oldest.
 */
export async function sdrQueue(db: Db, p: Principal, q: { direction?: 'inbound' | 'outbound'; includeQueues: boolean; limit: number }) {
  requirePermission(p, 'crm:read');
  const w = new Where();
  w.add(`l.workspace_id = ${w.param(p.workspaceId)}`).add(`l.status in ('new', 'working', 'qualified')`);
  const scope = scopeOf(p, 'read');
  const owned = scope.all ? 'l.owner_id is not null' : `l.owner_id = any(${w.param(scope.ownerIds)})`;
  w.add(q.includeQueues ? `(${owned} or l.owner_id is null)` : owned);
  if (q.direction) w.add(`l.direction = ${w.param(q.direction)}`);
  return db.query(
    `select l.id, l.email, l.first_name as "firstName", l.last_name as "lastName", l.company, l.segment, l.source_type as "sourceType",
            l.channel, l.direction, l.status, l.score, l.qualified, l.owner_id as "ownerId", l.queue, l.needs_review as "needsReview",
            l.created_at as "createdAt", l.first_touch_at as "firstTouchAt", l.first_touch_due_at as "firstTouchDueAt",
            coalesce(l.first_touch_at is null and l.first_touch_due_at < now(), false) as "slaBreached"
       from leads l ${w.sql()}
      order by coalesce(l.first_touch_at is null and l.first_touch_due_at < now(), false) desc,
               case when l.first_touch_at is null then l.first_touch_due_at end asc nulls last,
               l.score desc nulls last, l.created_at asc
      limit ${q.limit}`,
    w.params,
  );
}

/** The AE's handoff inbox: pending handoffs to them (or their team for a manager), nearest deadline first. */
export async function handoffInbox(db: Db, p: Principal, q: { status: string[]; leadId?: string; limit: number }) {
  requirePermission(p, 'crm:read');
  const w = new Where();
  w.add(`h.workspace_id = ${w.param(p.workspaceId)}`).add(`h.status = any(${w.param(q.status)})`);
  if (q.leadId) w.add(`h.lead_id = ${w.param(q.leadId)}`);
  const scope = scopeOf(p, 'read');
  if (!scope.all) w.add(`(h.ae_id = any(${w.param(scope.ownerIds)}) or h.sdr_id = any(${w.param(scope.ownerIds)}))`);
  return db.query(
    `select h.id, h.status, h.lead_id as "leadId", h.opportunity_id as "opportunityId", h.sdr_id as "sdrId", sdr.name as "sdrName",
            h.ae_id as "aeId", ae.name as "aeName", h.handed_at as "handedAt", h.warn_at as "warnAt", h.due_at as "dueAt",
            h.accepted_at as "acceptedAt", h.sent_back_reason as "sentBackReason", (h.status = 'pending' and h.due_at < now()) as "overdue",
            l.company, l.email, l.first_name as "firstName", l.last_name as "lastName", l.segment, l.score, o.amount, o.name as "opportunityName"
       from handoffs h join leads l on l.id = h.lead_id
       left join opportunities o on o.id = h.opportunity_id
       left join users sdr on sdr.id = h.sdr_id left join users ae on ae.id = h.ae_id
      ${w.sql()} order by h.due_at asc limit ${q.limit}`,
    w.params,
  );
}

/** Speed-to-lead and handoff SLA breaches in a period, with the times that were measured. */
export async function slaBreaches(db: Db, p: Principal, q: { from: string; to: string; limit: number }) {
  requirePermission(p, 'crm:read');
  const scope = scopeOf(p, 'read');
  const w = new Where();
  w.add(`l.workspace_id = ${w.param(p.workspaceId)}`)
    .add(`l.created_at >= ${w.param(q.from)}`)
    .add(`l.created_at < ${w.param(q.to)}`);
  applyScope(
    w,
    { ...leads, scope: { read: (ids) => `l.owner_id = any(${ids})`, write: (ids) => `l.owner_id = any(${ids})` } },
    scope,
    'read',
  );
  const firstTouch = await db.query(
    `select l.id as "leadId", l.company, l.email, l.owner_id as "ownerId", u.name as "ownerName", l.created_at as "createdAt",
            l.first_touch_due_at as "dueAt", l.first_touch_at as "firstTouchAt",
            round(extract(epoch from (coalesce(l.first_touch_at, now()) - l.created_at)) / 60) as "minutesToFirstTouch"
       from leads l left join users u on u.id = l.owner_id
      ${w.sql()} and l.first_touch_due_at < coalesce(l.first_touch_at, now())
      order by l.created_at desc limit ${q.limit}`,
    w.params,
  );
  const hw = new Where();
  hw.add(`h.workspace_id = ${hw.param(p.workspaceId)}`)
    .add(`h.handed_at >= ${hw.param(q.from)}`)
    .add(`h.handed_at < ${hw.param(q.to)}`);
  if (!scope.all) hw.add(`(h.ae_id = any(${hw.param(scope.ownerIds)}) or h.sdr_id = any(${hw.param(scope.ownerIds)}))`);
  const handoffs = await db.query(
    `select h.id, h.lead_id as "leadId", h.ae_id as "aeId", u.name as "aeName", h.status, h.handed_at as "handedAt", h.due_at as "dueAt",
            h.accepted_at as "acceptedAt", round(extract(epoch from (coalesce(h.accepted_at, h.closed_at, now()) - h.handed_at)) / 60) as "minutesToAnswer"
       from handoffs h left join users u on u.id = h.ae_id
      ${hw.sql()} and (h.status = 'escalated' or coalesce(h.accepted_at, now()) > h.due_at)
      order by h.handed_at desc limit ${q.limit}`,
    hw.params,
  );
  return { firstTouch, handoffs };
}

/** New leads flagged as possible duplicates of a closed lead: the merge screen's list. */
export async function reviewList(db: Db, p: Principal, limit: number) {
  requirePermission(p, 'crm:read');
  const w = new Where();
  w.add(`l.workspace_id = ${w.param(p.workspaceId)}`).add('l.needs_review');
  const scope = scopeOf(p, 'read');
  if (!scope.all) w.add(`(l.owner_id = any(${w.param(scope.ownerIds)}) or l.owner_id is null)`);
  return db.query(
    `select l.id, l.email, l.company, l.first_name as "firstName", l.last_name as "lastName", l.channel, l.status, l.created_at as "createdAt",
            d.id as "duplicateOfId", d.status as "duplicateOfStatus", d.company as "duplicateOfCompany", d.created_at as "duplicateOfCreatedAt",
            d.disqualify_reason as "duplicateOfReason"
       from leads l join leads d on d.id = l.duplicate_of ${w.sql()} order by l.created_at desc limit ${limit}`,
    w.params,
  );
}
