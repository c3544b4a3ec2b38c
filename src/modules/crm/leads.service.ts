import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import type { Where } from '../../platform/http/list.js';
import { classifySegment, isRepRole } from '../org/org.core.js';
import { findWorkspace, getSegments } from '../org/org.repo.js';
import { intakeLeads } from '../routing/intake.service.js';
import { markFirstTouch } from '../routing/touch.repo.js';
import {
  canConvertLead,
  domainOfEmail,
  type LeadStatus,
  leadTransition,
  normalizeDomain,
  normalizeEmail,
  planConversion,
} from './crm.core.js';
import { accounts, contacts, leads, opportunities } from './crm.resources.js';
import type { LeadCreate, LeadListQuery } from './crm.schema.js';
import * as records from './records.repo.js';
import { getFor, listFor, recordOwnerChange, refusedMove, updateFor } from './records.service.js';

/**
 * One lead. Besides the caller's own scope, a rep may open an unassigned lead waiting in a queue
 * (shared work, listed in the SDR queue) so they can read it and claim it.
 */
export async function getLead(db: Db, p: Principal, id: string, lock = false) {
  const row = await records.findRecord(db, leads, p.workspaceId, id, lock);
  if (row && row.ownerId == null && row.queue != null && p.kind === 'user' && p.roles.some(isRepRole) && p.permissions.includes('crm:read'))
    return row;
  return getFor(db, p, leads, id, 'read', lock);
}

export function listLeads(db: Db, p: Principal, q: LeadListQuery) {
  return listFor(db, p, leads, q, (w: Where) => {
    if (q.status) w.add(`status = any(${w.param(q.status)})`);
    if (q.sourceType) w.add(`source_type = any(${w.param(q.sourceType)})`);
    if (q.channel) w.add(`channel = any(${w.param(q.channel)})`);
    if (q.segment) w.add(`segment = any(${w.param(q.segment)})`);
    if (q.ownerId === 'none') w.add('owner_id is null');
    else if (q.ownerId) w.add(`owner_id = ${w.param(q.ownerId === 'me' ? p.userId : q.ownerId)}`);
    if (q.createdFrom) w.add(`created_at >= ${w.param(q.createdFrom)}`);
    if (q.createdTo) w.add(`created_at < ${w.param(q.createdTo)}`);
    if (q.q) {
      const like = w.param(`%${q.q.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`);
      w.add(
        `(email_normalized like ${like} or lower(company) like ${like} or lower(coalesce(first_name,'') || ' ' || coalesce(last_name,'')) like ${like})`,
      );
    }
  });
}

/**
 * One lead through the intake pipeline (dedupe, classification, routing). Returns the stored lead and
 * what intake did: created, merged into an open lead with the same email, or the existing lead for a
 * known external id.
 */
export async function createLead(db: Db, p: Principal, input: LeadCreate) {
  const [outcome] = await intakeLeads(db, p, [input], new Date());
  if (outcome.status === 'invalid')
    throw new AppError('validation_failed', `${outcome.errors[0].path}: ${outcome.errors[0].message}`, outcome.errors);
  const lead = (await records.findRecord(db, leads, p.workspaceId, outcome.leadId))!;
  return Object.assign(lead, { intake: outcome });
}

export async function updateLead(db: Db, p: Principal, id: string, patch: Partial<LeadCreate>) {
  const resize = (patch.employees !== undefined || patch.expectedArr !== undefined) && patch.segment === undefined;
  const thresholds = resize ? await getSegments(db, p.workspaceId) : [];
  return updateFor(db, p, leads, id, patch, {
    hidden: (before) => {
      const h: Record<string, unknown> = {};
      if (patch.email !== undefined) h.email_normalized = normalizeEmail(patch.email);
      // A new size reclassifies the lead, unless this same edit sets the segment by hand.
      if (resize)
        h.segment = classifySegment(thresholds, {
          employees: patch.employees !== undefined ? patch.employees : (before.employees as number | null),
          expectedArr: patch.expectedArr !== undefined ? patch.expectedArr : (before.expectedArr as string | null),
        });
      return h;
    },
    after: (tx, before, after) => recordOwnerChange(tx, p, 'lead', before, after),
  });
}

export async function changeLeadStatus(db: Db, p: Principal, id: string, to: LeadStatus, reason?: string) {
  return db.transaction(async (tx) => {
    const lead = await getFor(tx, p, leads, id, 'write', true);
    const t = leadTransition(lead.status as LeadStatus, to, reason);
    if (!t.ok) throw refusedMove(t, { from: lead.status, to });
    const after = await setLeadStatus(tx, p, lead, to, reason ?? null, { disqualifyReason: to === 'disqualified' ? reason : null });
    await markFirstTouch(tx, p, lead, new Date());
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'lead.status',
      recordType: 'lead',
      recordId: id,
      before: { status: lead.status },
      after: { status: to, reason },
    });
    return after;
  });
}

/**
 * Lead -> contact + account + opportunity, all or nothing.
 * The account is matched by normalised domain (free mail never matches); the contact by normalised email.
 * The SDR who owned the lead is recorded as the opportunity's source.
 */
export async function convertLead(
  db: Db,
  p: Principal,
  id: string,
  input: { opportunityName?: string; amount?: string; closeDate?: string; ownerId?: string },
) {
  return db.transaction(async (tx) => {
    const lead = await getFor(tx, p, leads, id, 'write', true);
    const can = canConvertLead(lead.status as LeadStatus);
    if (!can.ok) throw new AppError('conflict', can.reason, { status: lead.status });
    if (input.ownerId) await records.checkRefs(tx, opportunities, p.workspaceId, { ownerId: input.ownerId });
    const aeId = input.ownerId ?? (lead.ownerId as string | null) ?? p.userId;
    const deal = await createDealFromLead(tx, p, lead, { ...input, aeId });
    const after = await setLeadStatus(tx, p, lead, 'converted', null, {
      accountId: deal.accountId,
      contactId: deal.contactId,
      opportunityId: deal.opportunity.id,
    });
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'lead.convert',
      recordType: 'lead',
      recordId: id,
      before: { status: lead.status },
      after: {
        status: 'converted',
        accountId: deal.accountId,
        contactId: deal.contactId,
        opportunityId: deal.opportunity.id,
        reusedAccount: deal.reusedAccount,
      },
    });
    return { lead: after, ...deal };
  });
}

/** Moves a lead to a new status with its history row; `extra` sets other lead fields in the same update. */
export async function setLeadStatus(
  tx: Db,
  p: Principal,
  lead: records.Row,
  to: LeadStatus,
  reason: string | null,
  extra: Record<string, unknown> = {},
  /** When the change happened (the caller's clock); defaults to the database's now. */
  at?: Date,
) {
  const after = await records.updateRecord(tx, leads, p.workspaceId, lead.id, { ...extra, status: to });
  await records.recordChange(tx, {
    workspaceId: p.workspaceId,
    recordType: 'lead',
    recordId: lead.id,
    field: 'status',
    from: lead.status as string,
    to,
    reason,
    actorId: p.userId,
    at,
  });
  return after;
}

/**
 * Finds or creates the account (by domain) and contact (by email) of a lead and opens an opportunity
 * owned by the AE, sourced by the lead's SDR. Used by conversion and by the SDR-to-AE handoff.
 */
export async function createDealFromLead(
  tx: Db,
  p: Principal,
  lead: records.Row,
  input: { aeId: string | null; opportunityName?: string; amount?: string; closeDate?: string; at?: Date },
) {
  const ws = (await findWorkspace(tx, p.workspaceId))!;
  const domainKey = normalizeDomain(lead.domain as string) ?? domainOfEmail(lead.email as string);
  const emailKey = normalizeEmail(lead.email as string);
  const [accountByDomain] = lead.accountId
    ? [{ id: lead.accountId as string }]
    : domainKey
      ? await tx.query<{ id: string }>('select id from accounts where workspace_id = $1 and domain_normalized = $2', [
          p.workspaceId,
          domainKey,
        ])
      : [];
  const [contactByEmail] = lead.contactId
    ? [{ id: lead.contactId as string }]
    : emailKey
      ? await tx.query<{ id: string }>('select id from contacts where workspace_id = $1 and email_normalized = $2 limit 1', [
          p.workspaceId,
          emailKey,
        ])
      : [];
  const plan = planConversion({ lead: lead as never, accountByDomain: accountByDomain ?? null, contactByEmail: contactByEmail ?? null });
  const aeId = input.aeId;
  const accountId =
    'reuseId' in plan.account
      ? plan.account.reuseId
      : (
          await records.insertRecord(
            tx,
            accounts,
            p.workspaceId,
            {
              name: plan.account.create.name,
              domain: plan.account.create.domain,
              employees: lead.employees,
              country: lead.country,
              segment: lead.segment,
              ownerId: aeId,
            },
            { domain_normalized: plan.account.create.domainNormalized },
          )
        ).id;
  const contactId =
    'reuseId' in plan.contact
      ? plan.contact.reuseId
      : (
          await records.insertRecord(
            tx,
            contacts,
            p.workspaceId,
            {
              accountId,
              firstName: lead.firstName,
              lastName: lead.lastName,
              email: lead.email,
              title: lead.title,
              phone: lead.phone,
              ownerId: aeId,
            },
            { email_normalized: emailKey },
          )
        ).id;
  const stage = ws.opportunityStages[0];
  const opportunity = await records.insertRecord(
    tx,
    opportunities,
    p.workspaceId,
    {
      name: input.opportunityName ?? `${(lead.company as string) || 'New business'}`,
      accountId,
      contactId,
      leadId: lead.id,
      stage,
      amount: input.amount ?? lead.expectedArr ?? '0',
      closeDate: input.closeDate ?? null,
      ownerId: aeId,
      sdrId: lead.ownerId,
      segment: lead.segment,
      sourceType: lead.sourceType,
    },
    input.at ? { created_at: input.at, updated_at: input.at } : {},
  );
  await records.recordChange(tx, {
    workspaceId: p.workspaceId,
    recordType: 'opportunity',
    recordId: opportunity.id,
    field: 'stage',
    from: null,
    to: stage,
    actorId: p.userId,
    at: input.at,
  });
  return { accountId, contactId, opportunity, reusedAccount: 'reuseId' in plan.account, reusedContact: 'reuseId' in plan.contact };
}
