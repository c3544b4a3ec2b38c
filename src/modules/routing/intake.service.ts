import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { requirePermission } from '../../platform/auth/authenticate.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError, type FieldIssue } from '../../platform/errors.js';
import { normalizeEmail } from '../crm/crm.core.js';
import type { LeadCreate } from '../crm/crm.schema.js';
import { checkOwnerAssignment, scopeOf } from '../crm/records.service.js';
import { notify } from '../notify/notify.service.js';
import { classifySegment } from '../org/org.core.js';
import { assignPools } from './assign.service.js';
import { classifySource } from './classify.core.js';
import { type DedupePlan, dedupeKeysOf, fillValues, planDedupe } from './intake.core.js';
import { activeUserIds, loadExisting, loadIntakeContext } from './intake.repo.js';
import { type IntakeDecision, writeMerges, writeNewLeads } from './intake-writes.repo.js';
import { LEAD_COLUMNS, leadRow, type NewLead } from './lead-rows.js';
import { poolKeyOf } from './pools.repo.js';
import { cachedRouter, type RoutingDecision } from './routing.core.js';
import { addBusinessMinutes } from './sla.core.js';

export type IntakeOutcome =
  | {
      index: number;
      status: 'created';
      leadId: string;
      ownerId: string | null;
      queue: string | null;
      ruleId: string | null;
      segment: string | null;
      sourceType: string;
      needsReview: boolean;
      why: string;
    }
  | { index: number; status: 'merged' | 'existing'; leadId: string; why: string }
  | { index: number; status: 'invalid'; errors: FieldIssue[] };

const OWNER_GIVEN = [{ name: 'owner given on intake' }];

const FILLABLE = ['firstName', 'lastName', 'company', 'domain', 'title', 'phone', 'employees', 'expectedArr', 'country'] as const;

/**
 * The intake pipeline for one lead or a batch: dedupe, classify, route, persist, notify, in one transaction.
 * The same code serves the API, the batch endpoint, the web form and CSV import.
 */
export async function intakeLeads(
  db: Db,
  p: Principal,
  inputs: LeadCreate[],
  now: Date,
  // CSV import writes one audit entry for the whole file, not one per batch it hands to intake.
  opts: { audit?: boolean } = {},
): Promise<IntakeOutcome[]> {
  requirePermission(p, 'crm:write');
  // A rep keying in a lead by hand keeps it; integrations, forms and ops get it routed.
  if (p.kind === 'user' && !scopeOf(p, 'write').all) inputs = inputs.map((i) => (i.ownerId ? i : { ...i, ownerId: p.userId! }));
  return db.transaction(async (tx) => {
    for (const input of inputs) if (input.ownerId) await checkOwnerAssignment(tx, p, input, ['ownerId']);
    const { timezone, settings, thresholds, rules } = await loadIntakeContext(tx, p.workspaceId);
    const calendar = { ...settings.businessCalendar, timezone };
    // A batch mostly shares one creation time; the business-hours walk is costly, so it runs once per instant.
    const dueAtCache = new Map<number, Date>();
    const firstTouchDue = (createdAt: Date) => {
      const cached = dueAtCache.get(createdAt.getTime());
      if (cached) return cached;
      const due = addBusinessMinutes(createdAt, settings.firstTouchSlaMinutes, calendar);
      dueAtCache.set(createdAt.getTime(), due);
      return due;
    };

    const owners = await activeUserIds(tx, p.workspaceId, [...new Set(inputs.map((i) => i.ownerId).filter((x): x is string => !!x))]);
    const outcomes: (IntakeOutcome | undefined)[] = inputs.map((input, index) =>
      input.ownerId && !owners.has(input.ownerId)
        ? { index, status: 'invalid', errors: [{ path: 'ownerId', message: 'no active user with this id in this workspace' }] }
        : undefined,
    );
    const valid = inputs.map((input, index) => ({ input, index })).filter((x) => !outcomes[x.index]);

    const keys = valid.map((v) => dedupeKeysOf(v.input));
    const lookup = { externalIds: [] as string[], emails: [] as string[], domains: [] as string[] };
    for (const k of keys) {
      if (k.externalId) lookup.externalIds.push(k.externalId);
      if (k.email) lookup.emails.push(k.email);
      if (k.domain) lookup.domains.push(k.domain);
    }
    const plans = planDedupe(keys, await loadExisting(tx, p.workspaceId, lookup));

    // Classify and route every new lead.
    const routeLead = cachedRouter(rules, settings.fallbackQueue);
    const creates: {
      v: (typeof valid)[number];
      plan: Extract<DedupePlan, { kind: 'create' }>;
      lead: NewLead;
      decision: RoutingDecision | null;
    }[] = [];
    valid.forEach((v, i) => {
      const plan = plans[i];
      if (plan.kind !== 'create') return;
      const { sourceType, direction } = classifySource(settings.channelRules, v.input);
      const segment = v.input.segment ?? classifySegment(thresholds, v.input);
      const createdAt = v.input.createdAt ? new Date(v.input.createdAt) : now;
      const lead: NewLead = {
        id: randomUUID(),
        input: v.input,
        sourceType,
        direction,
        segment,
        ownerId: v.input.ownerId ?? null,
        queue: null,
        accountId: plan.account?.id ?? null,
        contactId: plan.contactId,
        duplicateOf: plan.duplicateOf,
        needsReview: plan.needsReview,
        createdAt,
        createdBy: p.userId,
        firstTouchDueAt: firstTouchDue(createdAt),
      };
      const decision = lead.ownerId
        ? null
        : routeLead({
            segment,
            sourceType,
            channel: v.input.channel,
            country: v.input.country ?? null,
            employees: v.input.employees ?? null,
            existingAccount: plan.account,
          });
      creates.push({ v, plan, lead, decision });
    });

    const assigned = await assignPools(tx, p.workspaceId, creates, settings.fallbackQueue, now);

    const { decisions, decisionOf } = groupDecisions(creates, assigned.notes);
    await writeNewLeads(tx, {
      workspaceId: p.workspaceId,
      at: now,
      columns: LEAD_COLUMNS,
      leads: creates.map((c) => leadRow(p.workspaceId, c.lead)),
      decisions,
      decisionOf,
      counters: assigned.counters,
    });

    const createdIdAt: string[] = [];
    for (const c of creates) {
      createdIdAt[c.v.index] = c.lead.id;
      outcomes[c.v.index] = {
        index: c.v.index,
        status: 'created',
        leadId: c.lead.id,
        ownerId: c.lead.ownerId,
        queue: c.lead.queue,
        ruleId: c.decision?.ruleId ?? null,
        segment: c.lead.segment,
        sourceType: c.lead.sourceType,
        needsReview: c.lead.needsReview,
        why: c.plan.why,
      };
    }
    await applyMerges(tx, p, valid, plans, createdIdAt, outcomes, now);

    await notifyOwners(
      tx,
      p.workspaceId,
      creates.map((c) => c.lead),
      settings.webhookUrl,
    );
    const counts = countBy(outcomes.map((o) => o!.status));
    const audited = opts.audit !== false;
    if (audited && inputs.length === 1 && creates.length === 1)
      await audit(tx, p, {
        workspaceId: p.workspaceId,
        action: 'lead.create',
        recordType: 'lead',
        recordId: creates[0].lead.id,
        after: outcomes[0],
      });
    else if (audited && inputs.length > 1)
      await audit(tx, p, { workspaceId: p.workspaceId, action: 'lead.intake_batch', recordType: 'lead', recordId: null, after: counts });
    return outcomes as IntakeOutcome[];
  });
}

/**
 * Leads routed the same way share one decision (rule, pool, explanation), sent once with a number per lead.
 * The router hands the same decision object to leads routed alike, so most leads find theirs without
 * serialising their explanation; only leads with pool notes (reps skipped) are compared by content.
 */
function groupDecisions(creates: { lead: NewLead; decision: RoutingDecision | null }[], notesOf: Map<string, unknown[]>) {
  const decisions: IntakeDecision[] = [];
  const byContent = new Map<string, number>();
  const byDecision = new Map<RoutingDecision | null, number>();
  const decisionOf = creates.map((c) => {
    const notes = notesOf.size ? notesOf.get(c.lead.id) : undefined;
    const seen = notes ? undefined : byDecision.get(c.decision);
    if (seen !== undefined) return seen;
    const d: IntakeDecision = {
      purpose: c.decision ? 'intake' : 'manual',
      ruleId: c.decision?.ruleId ?? null,
      poolKey: c.decision?.kind === 'pool' ? poolKeyOf(c.decision.pool) : null,
      explanation: JSON.stringify(c.decision ? [...c.decision.explanation, ...(notes ?? [])] : OWNER_GIVEN),
    };
    const content = `${d.purpose}|${d.ruleId}|${d.poolKey}|${d.explanation}`;
    let k = byContent.get(content);
    if (k === undefined) {
      k = decisions.push(d) - 1;
      byContent.set(content, k);
    }
    if (!notes) byDecision.set(c.decision, k);
    return k;
  });
  return { decisions, decisionOf };
}

/** Merged submissions fill the blanks of the lead they join and leave a note on it, so nothing is lost. */
async function applyMerges(
  tx: Db,
  p: Principal,
  valid: { input: LeadCreate; index: number }[],
  plans: DedupePlan[],
  /** The id of the lead created for each input, by its index. */
  createdIdAt: string[],
  outcomes: (IntakeOutcome | undefined)[],
  now: Date,
) {
  const targetOf = (i: number): string | null => {
    const plan = plans[i];
    if (plan.kind === 'create') return createdIdAt[valid[i].index] ?? null;
    if (plan.kind === 'existing') return plan.leadId;
    return plan.intoLeadId ?? (plan.intoBatchIndex !== null ? targetOf(plan.intoBatchIndex) : null);
  };
  const merges: { i: number; target: string }[] = [];
  valid.forEach((v, i) => {
    const plan = plans[i];
    if (plan.kind === 'existing') outcomes[v.index] = { index: v.index, status: 'existing', leadId: plan.leadId, why: plan.why };
    if (plan.kind !== 'merge') return;
    const target = targetOf(i);
    if (!target) throw new AppError('internal', 'merge target not found');
    merges.push({ i, target });
    outcomes[v.index] = { index: v.index, status: 'merged', leadId: target, why: plan.why };
  });
  if (!merges.length) return;
  // Leads created earlier in this batch are already inserted, so they are filled like stored ones. Several
  // submissions may fill the same lead: the first one to bring a field wins, like one after the other (fillValues).
  const byTarget = new Map<string, Record<string, unknown>[]>();
  for (const m of merges) {
    const inputs = byTarget.get(m.target) ?? [];
    inputs.push(valid[m.i].input as Record<string, unknown>);
    byTarget.set(m.target, inputs);
  }
  await writeMerges(tx, {
    workspaceId: p.workspaceId,
    actorId: p.userId,
    at: now,
    fills: new Map([...byTarget].map(([target, inputs]) => [target, fillValues(inputs, [...FILLABLE])])),
    notes: merges.map((m) => {
      const input = valid[m.i].input;
      const who = [input.firstName, input.lastName].filter(Boolean).join(' ') || normalizeEmail(input.email) || 'someone';
      return {
        leadId: m.target,
        subject: `Submitted again via ${input.channel}`,
        body: `${who} (${input.company ?? 'no company'}) submitted again; merged into this lead.`,
      };
    }),
  });
}

/** One notification per rep per intake: the lead itself for a single one, a count for a batch. */
async function notifyOwners(tx: Db, workspaceId: string, leads: NewLead[], webhookUrl: string | null) {
  const byOwner = new Map<string, NewLead[]>();
  for (const l of leads) {
    if (!l.ownerId) continue;
    const list = byOwner.get(l.ownerId) ?? [];
    list.push(l);
    byOwner.set(l.ownerId, list);
  }
  await notify(
    tx,
    [...byOwner].map(([userId, list]) =>
      list.length === 1
        ? {
            workspaceId,
            userId,
            kind: 'lead_assigned' as const,
            title: `New lead: ${list[0].input.company ?? list[0].input.email ?? 'unnamed'}`,
            body: `${list[0].segment ?? 'unsegmented'} · ${list[0].sourceType} · ${list[0].input.channel}`,
            recordType: 'lead',
            recordId: list[0].id,
          }
        : { workspaceId, userId, kind: 'lead_assigned' as const, title: `${list.length} new leads assigned to you` },
    ),
    webhookUrl,
  );
}

function countBy(xs: string[]) {
  const counts: Record<string, number> = {};
  for (const x of xs) counts[x] = (counts[x] ?? 0) + 1;
  return counts;
}
