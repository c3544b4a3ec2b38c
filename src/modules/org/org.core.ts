import { Decimal } from 'decimal.js';
import type { Permission } from '../../platform/auth/principal.js';

export const ROLES = [
  'admin',
  'sales_ops',
  'manager',
  'sdr_inbound',
  'sdr_outbound',
  'ae',
  'realtime_ae',
  'esb_ae',
  'csm',
  'relationship_manager',
  'sales_engineer',
  'enablement',
  'support',
] as const;
export type Role = (typeof ROLES)[number];

export const SEGMENTS = ['ESB', 'SMB', 'MME'] as const;
export type SegmentCode = (typeof SEGMENTS)[number];

/** Defaults an admin can change: ESB up to 10 people or $5k ARR, SMB up to 200 or $50k, MME above. */
export const DEFAULT_SEGMENTS: SegmentThreshold[] = [
  { code: 'ESB', name: 'Emerging small business', maxEmployees: 10, maxArr: '5000.00' },
  { code: 'SMB', name: 'Small and medium business', maxEmployees: 200, maxArr: '50000.00' },
  { code: 'MME', name: 'Mid-market and enterprise', maxEmployees: null, maxArr: null },
];

export type SegmentThreshold = {
  code: SegmentCode;
  name: string;
  maxEmployees: number | null;
  maxArr: string | null;
};

/**
 * The segment of a company: the first segment (smallest first) whose upper bound holds.
 * Employees decide when known; expected ARR is the fallback; with neither, null (unclassified).
 */
export function classifySegment(
  thresholds: SegmentThreshold[],
  input: { employees?: number | null; expectedArr?: string | null },
): SegmentCode | null {
  const ordered = [...thresholds].sort((a, b) => SEGMENTS.indexOf(a.code) - SEGMENTS.indexOf(b.code));
  if (input.employees != null) {
    const hit = ordered.find((s) => s.maxEmployees == null || input.employees! <= s.maxEmployees);
    return hit?.code ?? ordered.at(-1)?.code ?? null;
  }
  if (input.expectedArr != null) {
    const arr = new Decimal(input.expectedArr);
    const hit = ordered.find((s) => s.maxArr == null || arr.lte(s.maxArr));
    return hit?.code ?? ordered.at(-1)?.code ?? null;
  }
  return null;
}

/** Thresholds must grow with the segment and only the last may be open-ended. */
export function validateThresholds(list: SegmentThreshold[]): string | null {
  const codes = list.map((s) => s.code);
  if (codes.join() !== SEGMENTS.join()) return `segments must be exactly ${SEGMENTS.join(', ')} in that order`;
  for (let i = 0; i < list.length - 1; i++) {
    const a = list[i];
    const b = list[i + 1];
    if (a.maxEmployees == null || a.maxArr == null) return `${a.code}: only the last segment may be open-ended`;
    if (b.maxEmployees != null && b.maxEmployees <= a.maxEmployees)
      return `${b.code}: maxEmployees must be above ${a.code}'s (${a.maxEmployees})`;
    if (b.maxArr != null && new Decimal(b.maxArr).lte(a.maxArr)) return `${b.code}: maxArr must be above ${a.code}'s (${a.maxArr})`;
  }
  return null;
}

const REP_ROLES: Role[] = ['sdr_inbound', 'sdr_outbound', 'ae', 'realtime_ae', 'esb_ae', 'csm', 'relationship_manager'];
export const isRepRole = (r: Role) => REP_ROLES.includes(r);

/** What each role may do at all; which records it may touch is `dataScope`'s job. */
export function permissionsForRoles(roles: Role[]): Permission[] {
  const p = new Set<Permission>(['crm:read', 'crm:write', 'org:read']);
  const grant = (list: Permission[]) => {
    for (const x of list) p.add(x);
  };
  if (roles.includes('admin')) grant(['org:write', 'audit:read', 'apikeys:manage', 'import', 'events:write']);
  if (roles.includes('sales_ops')) grant(['org:write', 'audit:read', 'import', 'apikeys:manage']);
  return [...p];
}

/**
 * Which owners' records a caller may read or write.
 * `all`: the whole workspace. Otherwise a list of owner ids: the caller, plus the members of teams they manage.
 * Technical roles that support deals and customers (SE, support, enablement) read everything but edit only their own.
 */
export type DataScope = { all: true } | { all: false; ownerIds: string[] };

export function dataScope(
  who: { kind: 'user' | 'api_key' | 'system'; userId: string | null; roles: Role[]; managedUserIds: string[] },
  mode: 'read' | 'write',
): DataScope {
  if (who.kind !== 'user') return { all: true };
  const r = who.roles;
  if (r.includes('admin') || r.includes('sales_ops')) return { all: true };
  if (mode === 'read' && (r.includes('sales_engineer') || r.includes('support') || r.includes('enablement'))) return { all: true };
  const ids = new Set<string>(who.userId ? [who.userId] : []);
  if (r.includes('manager')) for (const id of who.managedUserIds) ids.add(id);
  return { all: false, ownerIds: [...ids] };
}

/** The home screen each role lands on, most specific role first. */
export function homeFor(roles: Role[]): string {
  if (roles.includes('admin') || roles.includes('sales_ops')) return '/admin';
  if (roles.includes('manager')) return '/team';
  if (roles.includes('sdr_inbound') || roles.includes('sdr_outbound')) return '/queue';
  if (roles.some((r) => r === 'ae' || r === 'realtime_ae' || r === 'esb_ae' || r === 'sales_engineer')) return '/pipeline';
  if (roles.includes('csm') || roles.includes('relationship_manager')) return '/success';
  return '/accounts';
}

export const isValidTimezone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const isValidCurrency = (code: string) => (Intl.supportedValuesOf('currency') as string[]).includes(code);
