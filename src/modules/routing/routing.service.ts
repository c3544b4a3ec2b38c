import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { requirePermission } from '../../platform/auth/authenticate.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError, type FieldIssue, invalid } from '../../platform/errors.js';
import type { Channel, SourceType } from '../crm/crm.core.js';
import { classifySegment } from '../org/org.core.js';
import { findWorkspace, getSegments } from '../org/org.repo.js';
import { type ChannelRule, classifySource, validateChannelRules } from './classify.core.js';
import { domainKeyOf } from './intake.core.js';
import { loadExisting } from './intake.repo.js';
import { loadPoolMembers, poolKeyOf } from './pools.repo.js';
import { pickFromPool, type Rule, route } from './routing.core.js';
import * as settingsRepo from './settings.repo.js';
import { validateCalendar } from './sla.core.js';

export async function getRoutingConfig(db: Db, p: Principal) {
  requirePermission(p, 'org:read');
  const settings = await settingsRepo.getSettings(db, p.workspaceId);
  const canSeeSecrets = p.permissions.includes('org:write');
  return {
    settings: canSeeSecrets ? settings : { ...settings, webFormKey: undefined, webhookUrl: undefined },
    intakeRules: await settingsRepo.listRules(db, p.workspaceId, 'intake'),
    handoffRules: await settingsRepo.listRules(db, p.workspaceId, 'handoff'),
  };
}

export async function updateRoutingSettings(db: Db, p: Principal, patch: Record<string, unknown>) {
  requirePermission(p, 'org:write');
  if (patch.channelRules) {
    const problem = validateChannelRules(patch.channelRules as ChannelRule[]);
    if (problem) throw invalid('channelRules', problem);
  }
  if (patch.businessCalendar) {
    const ws = (await findWorkspace(db, p.workspaceId))!;
    const problem = validateCalendar({
      ...(patch.businessCalendar as { days: number[]; start: string; end: string }),
      timezone: ws.timezone,
    });
    if (problem) throw invalid(`businessCalendar.${problem.split(':')[0]}`, problem.split(': ').slice(1).join(': '));
  }
  return db.transaction(async (tx) => {
    const before = await settingsRepo.getSettings(tx, p.workspaceId);
    await settingsRepo.updateSettings(tx, p.workspaceId, patch);
    const after = await settingsRepo.getSettings(tx, p.workspaceId);
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'routing.settings',
      recordType: 'routing_settings',
      recordId: null,
      before,
      after,
    });
    return after;
  });
}

/**
 * Rules are checked against the workspace before saving: users must exist and be active,
 * and every pool must have at least one member, so a lead can never be routed into nothing.
 */
export async function saveRules(db: Db, p: Principal, stage: 'intake' | 'handoff', rules: Omit<Rule, 'id'>[]) {
  requirePermission(p, 'org:write');
  return db.transaction(async (tx) => {
    const errors: FieldIssue[] = [];
    for (const [i, r] of rules.entries()) {
      const c = r.conditions;
      if (c.employeesMin != null && c.employeesMax != null && c.employeesMin > c.employeesMax)
        errors.push({ path: `rules.${i}.conditions.employeesMax`, message: 'must not be below employeesMin' });
      const a = r.action;
      if (a.type === 'user') {
        const [u] = await tx.query<{ active: boolean }>('select active from users where workspace_id = $1 and id = $2', [
          p.workspaceId,
          a.userId,
        ]);
        if (!u) errors.push({ path: `rules.${i}.action.userId`, message: 'no user with this id in this workspace' });
        else if (!u.active) errors.push({ path: `rules.${i}.action.userId`, message: 'this user is deactivated' });
      }
      if (a.type === 'pool') {
        if (
          a.pool.teamId &&
          !(await tx.query('select 1 from teams where workspace_id = $1 and id = $2', [p.workspaceId, a.pool.teamId])).length
        )
          errors.push({ path: `rules.${i}.action.pool.teamId`, message: 'no team with this id in this workspace' });
        else if (!(await loadPoolMembers(tx, p.workspaceId, poolKeyOf(a.pool), a.pool)).length)
          errors.push({
            path: `rules.${i}.action.pool`,
            message: `no active user has role ${a.pool.roles.join(' or ')}${a.pool.segment ? ` in segment ${a.pool.segment}` : ''}${a.pool.teamId ? ' in that team' : ''}: the pool is empty`,
          });
      }
    }
    if (errors.length) throw new AppError('validation_failed', `${errors[0].path}: ${errors[0].message}`, errors);
    const before = await settingsRepo.listRules(tx, p.workspaceId, stage);
    await settingsRepo.replaceRules(tx, p.workspaceId, stage, rules);
    const after = await settingsRepo.listRules(tx, p.workspaceId, stage);
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: `routing.rules.${stage}`,
      recordType: 'routing_rules',
      recordId: null,
      before,
      after,
    });
    return after;
  });
}

/** "Test a lead": which rule would take it, why, and which rep a pool would pick right now. Writes nothing. */
export async function previewRouting(
  db: Db,
  p: Principal,
  lead: {
    segment?: string | null;
    employees?: number | null;
    expectedArr?: string | number | null;
    sourceType?: SourceType | null;
    channel: Channel;
    country?: string | null;
    email?: string | null;
    domain?: string | null;
  },
  now: Date,
) {
  requirePermission(p, 'org:read');
  const settings = await settingsRepo.getSettings(db, p.workspaceId);
  const segment =
    lead.segment ??
    classifySegment(await getSegments(db, p.workspaceId), {
      employees: lead.employees,
      expectedArr: lead.expectedArr == null ? null : String(lead.expectedArr),
    });
  const { sourceType, direction } = classifySource(settings.channelRules, { channel: lead.channel, sourceType: lead.sourceType });
  const domain = domainKeyOf(lead);
  const existing = await loadExisting(db, p.workspaceId, { externalIds: [], emails: [], domains: domain ? [domain] : [] });
  const account = (domain && existing.accountByDomain.get(domain)) || null;
  const rules = await settingsRepo.listRules(db, p.workspaceId, 'intake');
  const decision = route(
    {
      segment,
      sourceType,
      channel: lead.channel,
      country: lead.country?.toUpperCase() ?? null,
      employees: lead.employees ?? null,
      existingAccount: account,
    },
    rules,
    settings.fallbackQueue,
  );
  let pick: unknown = null;
  if (decision.kind === 'pool') {
    const members = await loadPoolMembers(db, p.workspaceId, poolKeyOf(decision.pool), decision.pool);
    pick = { members, ...pickFromPool(members, now) };
  }
  return { classification: { segment, sourceType, direction, existingAccount: account }, decision, pick };
}
