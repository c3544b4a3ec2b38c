import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { type ChannelRule, DEFAULT_CHANNEL_RULES } from './classify.core.js';
import type { Rule } from './routing.core.js';
import { type Criterion, DEFAULT_CRITERIA } from './scorecard.core.js';
import { DEFAULT_CALENDAR } from './sla.core.js';

export type RoutingSettings = {
  workspaceId: string;
  fallbackQueue: string;
  channelRules: ChannelRule[];
  businessCalendar: { days: number[]; start: string; end: string; holidays: string[] };
  firstTouchSlaMinutes: number;
  handoffSlaMinutes: number;
  slaWarningPercent: number;
  webFormKey: string;
  webhookUrl: string | null;
  updatedAt: Date;
};

export const SETTINGS_COLS = `workspace_id as "workspaceId", fallback_queue as "fallbackQueue", channel_rules as "channelRules",
  business_calendar as "businessCalendar", first_touch_sla_minutes as "firstTouchSlaMinutes",
  handoff_sla_minutes as "handoffSlaMinutes", sla_warning_percent as "slaWarningPercent",
  web_form_key as "webFormKey", webhook_url as "webhookUrl", updated_at as "updatedAt"`;

/** A workspace's routing settings, created with the defaults the first time they are needed. */
export async function getSettings(db: Db, workspaceId: string): Promise<RoutingSettings> {
  const [row] = await db.query<RoutingSettings>(`select ${SETTINGS_COLS} from routing_settings where workspace_id = $1`, [workspaceId]);
  if (row) return row;
  await db.query(
    `insert into routing_settings (workspace_id, channel_rules, business_calendar, web_form_key)
     values ($1, $2, $3, $4) on conflict (workspace_id) do nothing`,
    [workspaceId, JSON.stringify(DEFAULT_CHANNEL_RULES), JSON.stringify(DEFAULT_CALENDAR), `wf_${randomBytes(12).toString('base64url')}`],
  );
  const [created] = await db.query<RoutingSettings>(`select ${SETTINGS_COLS} from routing_settings where workspace_id = $1`, [workspaceId]);
  return created;
}

export async function findSettingsByFormKey(db: Db, formKey: string): Promise<RoutingSettings | null> {
  const [row] = await db.query<RoutingSettings>(`select ${SETTINGS_COLS} from routing_settings where web_form_key = $1`, [formKey]);
  return row ?? null;
}

const SETTING_COLUMNS: Record<string, [string, boolean]> = {
  fallbackQueue: ['fallback_queue', false],
  channelRules: ['channel_rules', true],
  businessCalendar: ['business_calendar', true],
  firstTouchSlaMinutes: ['first_touch_sla_minutes', false],
  handoffSlaMinutes: ['handoff_sla_minutes', false],
  slaWarningPercent: ['sla_warning_percent', false],
  webhookUrl: ['webhook_url', false],
};

export async function updateSettings(tx: Db, workspaceId: string, patch: Record<string, unknown>) {
  const entries = Object.entries(patch).filter(([k, v]) => v !== undefined && k in SETTING_COLUMNS);
  if (!entries.length) return;
  const sets = entries.map(([k], i) => `${SETTING_COLUMNS[k][0]} = $${i + 2}`);
  await tx.query(`update routing_settings set ${sets.join(', ')}, updated_at = now() where workspace_id = $1`, [
    workspaceId,
    ...entries.map(([k, v]) => (SETTING_COLUMNS[k][1] ? JSON.stringify(v) : v)),
  ]);
}

export async function rotateFormKey(tx: Db, workspaceId: string) {
  await tx.query('update routing_settings set web_form_key = $2, updated_at = now() where workspace_id = $1', [
    workspaceId,
    `wf_${randomBytes(12).toString('base64url')}`,
  ]);
}

export async function listRules(db: Db, workspaceId: string, stage: 'intake' | 'handoff'): Promise<Rule[]> {
  return db.query<Rule>(
    `select id, name, enabled, conditions, action from routing_rules where workspace_id = $1 and stage = $2 order by position`,
    [workspaceId, stage],
  );
}

export async function replaceRules(tx: Db, workspaceId: string, stage: 'intake' | 'handoff', rules: Omit<Rule, 'id'>[]) {
  await tx.query('delete from routing_rules where workspace_id = $1 and stage = $2', [workspaceId, stage]);
  for (const [i, r] of rules.entries())
    await tx.query(
      `insert into routing_rules (workspace_id, stage, position, name, enabled, conditions, action) values ($1, $2, $3, $4, $5, $6, $7)`,
      [workspaceId, stage, i, r.name, r.enabled, JSON.stringify(r.conditions), JSON.stringify(r.action)],
    );
}

export type StoredScorecard = { segment: string; threshold: number; criteria: Criterion[]; updatedAt: Date | null };

/** The segment's scorecard; a default one (the six standard criteria, threshold 12) until sales ops save their own. */
export async function getScorecard(db: Db, workspaceId: string, segment: string): Promise<StoredScorecard> {
  const [row] = await db.query<StoredScorecard>(
    `select segment, threshold, criteria, updated_at as "updatedAt" from scorecards where workspace_id = $1 and segment = $2`,
    [workspaceId, segment],
  );
  return row ?? { segment, threshold: 12, criteria: DEFAULT_CRITERIA, updatedAt: null };
}

export async function saveScorecard(
  tx: Db,
  workspaceId: string,
  segment: string,
  card: { threshold: number; criteria: Criterion[] },
  userId: string | null,
) {
  await tx.query(
    `insert into scorecards (workspace_id, segment, threshold, criteria, updated_by) values ($1, $2, $3, $4, $5)
     on conflict (workspace_id, segment) do update set threshold = excluded.threshold, criteria = excluded.criteria,
       updated_by = excluded.updated_by, updated_at = now()`,
    [workspaceId, segment, card.threshold, JSON.stringify(card.criteria), userId],
  );
}
