import type { FieldIssue } from '../../api/client';
import type { Rule, RuleAction } from './routing.api';

/** A rule being edited: the rule plus a key that stays put while rules move up and down. */
export type RuleDraft = Rule & { key: string };

let seq = 0;
export const newKey = () => `r${++seq}`;

export const draftsOf = (rules: Rule[]): RuleDraft[] => rules.map((r) => ({ ...r, conditions: { ...r.conditions }, key: newKey() }));

export const blankRule = (n: number): RuleDraft => ({
  key: newKey(),
  name: `Rule ${n}`,
  enabled: true,
  conditions: {},
  action: { type: 'queue', queue: 'inbound' },
});

/** A fresh action of a type, keeping nothing from the old one (each type has its own fields). */
export function actionOfType(type: RuleAction['type']): RuleAction {
  if (type === 'pool') return { type, pool: { roles: [] } };
  if (type === 'queue') return { type, queue: '' };
  if (type === 'user') return { type, userId: '' };
  return { type };
}

/** What the API takes: empty conditions left out (an empty list means "any" anyway). */
export function payloadOf(d: RuleDraft): Rule {
  const c = d.conditions;
  const conditions: Rule['conditions'] = {};
  if (c.segments?.length) conditions.segments = c.segments;
  if (c.sourceTypes?.length) conditions.sourceTypes = c.sourceTypes;
  if (c.channels?.length) conditions.channels = c.channels;
  if (c.countries?.length) conditions.countries = c.countries;
  if (c.employeesMin != null) conditions.employeesMin = c.employeesMin;
  if (c.employeesMax != null) conditions.employeesMax = c.employeesMax;
  if (c.existingAccount != null) conditions.existingAccount = c.existingAccount;
  const a = d.action;
  const action: RuleAction =
    a.type === 'pool' ? { type: 'pool', pool: { roles: a.pool.roles, segment: a.pool.segment ?? null, teamId: a.pool.teamId ?? null } } : a;
  return { name: d.name, enabled: d.enabled, conditions, action };
}

/** The API's `rules.N.field` errors, regrouped by the rule they are about (by key, so they follow it when it moves). */
export function errorsByRule(details: FieldIssue[], keys: string[]): { byKey: Record<string, Record<string, string>>; general: string[] } {
  const byKey: Record<string, Record<string, string>> = {};
  const general: string[] = [];
  for (const d of details) {
    const m = /^rules\.(\d+)\.(.+)$/.exec(d.path);
    const key = m ? keys[Number(m[1])] : undefined;
    if (!m || !key) {
      general.push(`${d.path}: ${d.message}`);
      continue;
    }
    byKey[key] ??= {};
    byKey[key][m[2]] ??= d.message;
  }
  return { byKey, general };
}

/** The message for a field, or for anything inside it (`conditions.countries.2` shows on the countries input). */
export function fieldError(errors: Record<string, string> | undefined, field: string): string | undefined {
  if (!errors) return undefined;
  if (errors[field]) return errors[field];
  const inner = Object.keys(errors).find((k) => k.startsWith(`${field}.`));
  return inner ? errors[inner] : undefined;
}

/** Fields the rule card shows errors on; anything else is listed at the bottom of the card. */
export const SHOWN_FIELDS = [
  'name',
  'enabled',
  'conditions.segments',
  'conditions.sourceTypes',
  'conditions.channels',
  'conditions.countries',
  'conditions.employeesMin',
  'conditions.employeesMax',
  'conditions.existingAccount',
  'action.type',
  'action.pool.roles',
  'action.pool.segment',
  'action.pool.teamId',
  'action.pool',
  'action.queue',
  'action.userId',
];
