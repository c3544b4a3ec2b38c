import type { SegmentThreshold } from '../org/org.core.js';
import { classifySegment } from '../org/org.core.js';
import { isClosedStage, LEAD_STATUSES, normalizeDomain, normalizeEmail } from './crm.core.js';
import type { Existing } from './import.core.js';

/** Per-kind import rules beyond the API schemas: lifecycle fields, segment, normalised keys, history (pure). */

export type RuleEnv = {
  kind: string;
  stages: string[];
  segments: SegmentThreshold[];
  now: Date;
  /** The file's header for a field, for the report. */
  columnOf: (field: string) => string;
};

export type HistoryEntry = {
  recordId: string;
  field: 'status' | 'stage' | 'owner';
  from: string | null;
  to: string | null;
  at: string | null;
};
/** Rules beyond the schema, per kind: lifecycle fields, segment, normalised keys. Returns the hidden columns. */
export function kindRules(
  env: RuleEnv,
  rec: Record<string, unknown>,
  input: Record<string, unknown>,
  existing: Existing | undefined,
  add: (c: string, m: string) => void,
) {
  const reason = (field: string, needed: boolean, label: string) => {
    const v = input[field] !== undefined ? input[field] : existing?.[field];
    const text = typeof v === 'string' ? v.trim() : null;
    if (!needed) rec[field] = null;
    else if (!text) add(env.columnOf(field), `required when ${label}`);
    else if (text.length > 500) add(env.columnOf(field), 'at most 500 characters');
    else rec[field] = text;
  };
  switch (env.kind) {
    case 'leads': {
      const status = input.status != null ? String(input.status).trim() : ((existing?.status as string) ?? 'new');
      if (!(LEAD_STATUSES as readonly string[]).includes(status)) add(env.columnOf('status'), `one of ${LEAD_STATUSES.join(', ')}`);
      rec.status = status;
      reason('disqualifyReason', status === 'disqualified', 'status is disqualified');
      // New leads without an owner are routed, so an empty owner_email cannot mean "no owner" on a re-import:
      // it keeps the lead's owner (routed or not). Owners are cleared through the API.
      if (existing && input.ownerId === null) rec.ownerId = existing.ownerId ?? null;
      // The segment follows the company's size unless the row names it (as the API does).
      const resized = !existing || 'segment' in input || 'employees' in input || 'expectedArr' in input;
      if (rec.segment == null || (resized && input.segment == null))
        rec.segment = resized ? classifySegment(env.segments, rec as never) : (existing?.segment ?? null);
      return { email_normalized: normalizeEmail(rec.email as string) };
    }
    case 'contacts':
      return { email_normalized: normalizeEmail(rec.email as string) };
    case 'accounts':
      return { domain_normalized: normalizeDomain(rec.domain as string) };
    case 'opportunities': {
      const stage = (input.stage != null ? String(input.stage).trim() : (existing?.stage as string)) ?? env.stages[0];
      if (!env.stages.includes(stage)) add(env.columnOf('stage'), `one of ${env.stages.join(', ')}`);
      rec.stage = stage;
      reason('lostReason', stage === 'lost', 'stage is lost');
      const sameStage = existing && existing.stage === stage;
      rec.closedAt = sameStage ? (existing.closedAt ?? null) : isClosedStage(stage) ? env.now : null;
      return {};
    }
    default:
      return {};
  }
}

/** Status, stage and owner changes go to the history that the funnel and comp read. */
export function historyOf(kind: string, id: string, existing: Existing | undefined, rec: Record<string, unknown>): HistoryEntry[] {
  const field = kind === 'leads' ? 'status' : kind === 'opportunities' ? 'stage' : null;
  if (!field) return [];
  const at = !existing && typeof rec.createdAt === 'string' ? rec.createdAt : null;
  if (!existing) return [{ recordId: id, field, from: null, to: rec[field] as string, at }];
  const out: HistoryEntry[] = [];
  if (existing[field] !== rec[field]) out.push({ recordId: id, field, from: existing[field] as string, to: rec[field] as string, at });
  if ((existing.ownerId ?? null) !== (rec.ownerId ?? null))
    out.push({ recordId: id, field: 'owner', from: (existing.ownerId as string) ?? null, to: (rec.ownerId as string) ?? null, at });
  return out;
}
