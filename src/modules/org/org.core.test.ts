import { describe, expect, it } from 'vitest';
import {
  classifySegment,
  DEFAULT_SEGMENTS,
  dataScope,
  homeFor,
  isValidCurrency,
  isValidTimezone,
  permissionsForRoles,
  ROLES,
  type Role,
  type SegmentThreshold,
  validateThresholds,
} from './org.core.js';

const T = DEFAULT_SEGMENTS; // ESB <= 10 people / 5000.00, SMB <= 200 / 50000.00, MME open

describe('classifySegment', () => {
  it('puts a company in the first segment whose bound holds, bounds inclusive', () => {
    expect(classifySegment(T, { employees: 0 })).toBe('ESB');
    expect(classifySegment(T, { employees: 10 })).toBe('ESB');
    expect(classifySegment(T, { employees: 11 })).toBe('SMB');
    expect(classifySegment(T, { employees: 200 })).toBe('SMB');
    expect(classifySegment(T, { employees: 201 })).toBe('MME');
    expect(classifySegment(T, { employees: 5_000_000 })).toBe('MME');
  });

  it('lets employees decide over expected ARR when both are known', () => {
    expect(classifySegment(T, { employees: 5, expectedArr: '900000.00' })).toBe('ESB');
    expect(classifySegment(T, { employees: 500, expectedArr: '100.00' })).toBe('MME');
  });

  it('falls back to expected ARR, exactly at the cent', () => {
    expect(classifySegment(T, { employees: null, expectedArr: '5000.00' })).toBe('ESB');
    expect(classifySegment(T, { expectedArr: '5000.01' })).toBe('SMB');
    expect(classifySegment(T, { expectedArr: '50000' })).toBe('SMB');
    expect(classifySegment(T, { expectedArr: '50000.01' })).toBe('MME');
    expect(classifySegment(T, { expectedArr: '0' })).toBe('ESB');
  });

  it('leaves a company with neither size nor ARR unclassified', () => {
    expect(classifySegment(T, {})).toBeNull();
    expect(classifySegment(T, { employees: null, expectedArr: null })).toBeNull();
  });

  it('reads the thresholds in segment order whatever order they are given in', () => {
    const shuffled = [T[2], T[0], T[1]];
    expect(classifySegment(shuffled, { employees: 10 })).toBe('ESB');
    expect(classifySegment(shuffled, { employees: 150 })).toBe('SMB');
  });

  it('follows thresholds an admin changed', () => {
    const custom: SegmentThreshold[] = [
      { code: 'ESB', name: 'e', maxEmployees: 3, maxArr: '1000.00' },
      { code: 'SMB', name: 's', maxEmployees: 50, maxArr: '20000.00' },
      { code: 'MME', name: 'm', maxEmployees: null, maxArr: null },
    ];
    expect(classifySegment(custom, { employees: 4 })).toBe('SMB');
    expect(classifySegment(custom, { employees: 51 })).toBe('MME');
    expect(classifySegment(custom, { expectedArr: '1000.01' })).toBe('SMB');
  });
});

describe('validateThresholds', () => {
  const ok = (): SegmentThreshold[] => DEFAULT_SEGMENTS.map((s) => ({ ...s }));

  it('accepts the defaults', () => {
    expect(validateThresholds(ok())).toBeNull();
  });

  it('requires exactly ESB, SMB, MME in that order', () => {
    expect(validateThresholds(ok().slice(0, 2))).toMatch(/exactly ESB, SMB, MME/);
    expect(validateThresholds([ok()[1], ok()[0], ok()[2]])).toMatch(/in that order/);
  });

  it('allows only the last segment to be open-ended', () => {
    const l = ok();
    l[0].maxEmployees = null;
    expect(validateThresholds(l)).toMatch(/ESB: only the last/);
    const m = ok();
    m[1].maxArr = null;
    expect(validateThresholds(m)).toMatch(/SMB: only the last/);
  });

  it('requires bounds that grow strictly', () => {
    const l = ok();
    l[1].maxEmployees = 10; // equal to ESB's
    expect(validateThresholds(l)).toMatch(/SMB: maxEmployees must be above ESB/);
    const m = ok();
    m[1].maxArr = '4999.99';
    expect(validateThresholds(m)).toMatch(/SMB: maxArr must be above ESB/);
  });
});

const user = (roles: Role[], managed: string[] = []) => ({ kind: 'user' as const, userId: 'me', roles, managedUserIds: managed });

describe('dataScope', () => {
  it('gives admin and sales ops the whole workspace, to read and to write', () => {
    for (const role of ['admin', 'sales_ops'] as const)
      for (const mode of ['read', 'write'] as const) expect(dataScope(user([role]), mode)).toEqual({ all: true });
  });

  it('gives a rep only their own records', () => {
    for (const role of ['ae', 'sdr_inbound', 'sdr_outbound', 'csm', 'realtime_ae', 'esb_ae', 'relationship_manager'] as const) {
      expect(dataScope(user([role], ['x']), 'read')).toEqual({ all: false, ownerIds: ['me'] });
      expect(dataScope(user([role], ['x']), 'write')).toEqual({ all: false, ownerIds: ['me'] });
    }
  });

  it('gives a manager themselves and the members of the teams they manage', () => {
    expect(dataScope(user(['manager'], ['a', 'b']), 'read')).toEqual({ all: false, ownerIds: ['me', 'a', 'b'] });
    expect(dataScope(user(['manager'], ['a', 'b']), 'write')).toEqual({ all: false, ownerIds: ['me', 'a', 'b'] });
  });

  it('lets supporting roles read everything but write only their own', () => {
    for (const role of ['sales_engineer', 'support', 'enablement'] as const) {
      expect(dataScope(user([role]), 'read')).toEqual({ all: true });
      expect(dataScope(user([role]), 'write')).toEqual({ all: false, ownerIds: ['me'] });
    }
  });

  it('scopes API keys and the system to the whole workspace (their permissions limit them instead)', () => {
    expect(dataScope({ kind: 'api_key', userId: null, roles: [], managedUserIds: [] }, 'write')).toEqual({ all: true });
    expect(dataScope({ kind: 'system', userId: null, roles: [], managedUserIds: [] }, 'read')).toEqual({ all: true });
  });
});

describe('permissionsForRoles', () => {
  it('lets every role read and write the CRM and read the org, nothing more for a rep', () => {
    expect(permissionsForRoles(['ae']).sort()).toEqual(['crm:read', 'crm:write', 'org:read']);
    expect(permissionsForRoles(['manager']).sort()).toEqual(['crm:read', 'crm:write', 'org:read']);
  });

  it('gives admin everything and sales ops the org, audit, import and keys', () => {
    expect(permissionsForRoles(['admin'])).toEqual(
      expect.arrayContaining(['org:write', 'audit:read', 'apikeys:manage', 'import', 'events:write']),
    );
    const ops = permissionsForRoles(['sales_ops']);
    expect(ops).toEqual(expect.arrayContaining(['org:write', 'audit:read', 'import', 'apikeys:manage']));
    expect(ops).not.toContain('events:write');
  });

  it('unions the permissions of several roles without duplicates', () => {
    const p = permissionsForRoles(['ae', 'sales_ops', 'admin']);
    expect(new Set(p).size).toBe(p.length);
  });
});

describe('homeFor', () => {
  it('sends each role to its own home, the most specific role first', () => {
    expect(homeFor(['admin'])).toBe('/admin');
    expect(homeFor(['sales_ops'])).toBe('/admin');
    expect(homeFor(['manager', 'ae'])).toBe('/team');
    expect(homeFor(['sdr_inbound'])).toBe('/queue');
    expect(homeFor(['sdr_outbound'])).toBe('/queue');
    expect(homeFor(['ae'])).toBe('/pipeline');
    expect(homeFor(['realtime_ae'])).toBe('/pipeline');
    expect(homeFor(['esb_ae'])).toBe('/pipeline');
    expect(homeFor(['sales_engineer'])).toBe('/pipeline');
    expect(homeFor(['csm'])).toBe('/success');
    expect(homeFor(['relationship_manager'])).toBe('/success');
    expect(homeFor(['support'])).toBe('/accounts');
  });

  it('gives every role some home', () => {
    for (const r of ROLES) expect(homeFor([r])).toMatch(/^\/[a-z]+$/);
  });
});

describe('workspace settings checks', () => {
  it('knows IANA time zones and ISO currencies', () => {
    expect(isValidTimezone('Europe/Paris')).toBe(true);
    expect(isValidTimezone('Mars/Olympus')).toBe(false);
    expect(isValidCurrency('EUR')).toBe(true);
    expect(isValidCurrency('ZZZ')).toBe(false);
  });
});
