import { describe, expect, it } from 'vitest';
import {
  canConvertLead,
  domainOfEmail,
  LEAD_STATUSES,
  type LeadStatus,
  leadTransition,
  normalizeDomain,
  normalizeEmail,
  planConversion,
  stageTransition,
  validateStages,
} from './crm.core.js';

describe('normalizeEmail', () => {
  it('trims and lowercases, empty means none', () => {
    expect(normalizeEmail('  Ana.Lopez@Initech.COM ')).toBe('ana.lopez@initech.com');
    expect(normalizeEmail('')).toBeNull();
    expect(normalizeEmail('   ')).toBeNull();
    expect(normalizeEmail(null)).toBeNull();
    expect(normalizeEmail(undefined)).toBeNull();
  });
});

describe('normalizeDomain', () => {
  it.each([
    ['acme.com', 'acme.com'],
    ['ACME.com', 'acme.com'],
    ['www.acme.com', 'acme.com'],
    ['https://www.Acme.com/about', 'acme.com'],
    ['http://acme.com?x=1', 'acme.com'],
    ['https://acme.com#top', 'acme.com'],
    ['acme.com:8443', 'acme.com'],
    ['https://www.acme.com:443/path', 'acme.com'],
    ['acme.com.', 'acme.com'],
    ['www.acme.com./', 'acme.com'],
    ['  acme.co.uk  ', 'acme.co.uk'],
    ['eu.acme.com', 'eu.acme.com'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeDomain(input)).toBe(expected);
  });

  it('returns null for free-mail providers, however written', () => {
    for (const d of ['gmail.com', 'GMAIL.COM', 'www.gmail.com', 'https://outlook.com/', 'yahoo.com.', 'proton.me:443'])
      expect(normalizeDomain(d)).toBeNull();
  });

  it('returns null for nothing or something that is not a domain', () => {
    for (const d of [null, undefined, '', '   ', 'localhost', 'https://', '.'] as const) expect(normalizeDomain(d)).toBeNull();
  });

  it('takes the company domain from an email, never a free-mail one', () => {
    expect(domainOfEmail('Ana@Sub.Initech.com')).toBe('sub.initech.com');
    expect(domainOfEmail('someone@gmail.com')).toBeNull();
    expect(domainOfEmail('no-at-sign')).toBeNull();
    expect(domainOfEmail(null)).toBeNull();
  });
});

describe('leadTransition', () => {
  const allowed: [LeadStatus, LeadStatus][] = [
    ['new', 'working'],
    ['new', 'qualified'],
    ['working', 'qualified'],
    ['working', 'new'],
    ['qualified', 'handed_off'],
    ['qualified', 'working'],
    ['handed_off', 'qualified'],
    ['disqualified', 'working'],
  ];
  it.each(allowed)('allows %s -> %s', (from, to) => {
    expect(leadTransition(from, to)).toEqual({ ok: true });
  });

  const refused: [LeadStatus, LeadStatus][] = [
    ['new', 'handed_off'],
    ['working', 'handed_off'],
    ['handed_off', 'new'],
    ['handed_off', 'working'],
    ['disqualified', 'new'],
    ['disqualified', 'qualified'],
    ['converted', 'working'],
    ['converted', 'disqualified'],
  ];
  it.each(refused)('refuses %s -> %s, saying why', (from, to) => {
    const t = leadTransition(from, to, 'some reason');
    expect(t.ok).toBe(false);
    if (!t.ok) expect(t.reason).toContain(to);
  });

  it('never converts through a status change, and refuses staying put', () => {
    for (const from of LEAD_STATUSES) expect(leadTransition(from, 'converted').ok).toBe(false);
    expect(leadTransition('working', 'working')).toEqual({ ok: false, reason: 'lead is already working' });
  });

  it('requires a reason to disqualify from any open status', () => {
    for (const from of ['new', 'working', 'qualified', 'handed_off'] as const) {
      expect(leadTransition(from, 'disqualified')).toEqual({
        ok: false,
        reason: 'a reason is required to disqualify a lead',
        field: 'reason',
      });
      expect(leadTransition(from, 'disqualified', '   ').ok).toBe(false);
      expect(leadTransition(from, 'disqualified', 'no budget')).toEqual({ ok: true });
    }
  });

  it('converts any open lead, never a converted or disqualified one', () => {
    for (const s of ['new', 'working', 'qualified', 'handed_off'] as const) expect(canConvertLead(s).ok).toBe(true);
    expect(canConvertLead('converted').ok).toBe(false);
    expect(canConvertLead('disqualified').ok).toBe(false);
  });
});

describe('stageTransition', () => {
  const S = ['discovery', 'trial', 'proposal', 'negotiation', 'won', 'lost'];

  it('lets open deals move forward, skip and slip back', () => {
    expect(stageTransition(S, 'discovery', 'trial')).toEqual({ ok: true });
    expect(stageTransition(S, 'discovery', 'negotiation')).toEqual({ ok: true });
    expect(stageTransition(S, 'proposal', 'discovery')).toEqual({ ok: true });
    expect(stageTransition(S, 'trial', 'won')).toEqual({ ok: true });
  });

  it('requires a reason to lose a deal', () => {
    expect(stageTransition(S, 'trial', 'lost').ok).toBe(false);
    expect(stageTransition(S, 'trial', 'lost', ' ').ok).toBe(false);
    expect(stageTransition(S, 'trial', 'lost', 'went with a competitor')).toEqual({ ok: true });
  });

  it('refuses unknown stages and staying put', () => {
    const t = stageTransition(S, 'trial', 'pilot');
    expect(t).toEqual({ ok: false, reason: expect.stringContaining('unknown stage pilot'), field: 'stage' });
    expect(stageTransition(S, 'trial', 'trial').ok).toBe(false);
  });

  it('reopens closed deals only to an open stage, never straight from one close to the other', () => {
    expect(stageTransition(S, 'won', 'negotiation')).toEqual({ ok: true });
    expect(stageTransition(S, 'lost', 'discovery')).toEqual({ ok: true });
    expect(stageTransition(S, 'won', 'lost', 'churned').ok).toBe(false);
    expect(stageTransition(S, 'lost', 'won').ok).toBe(false);
  });
});

describe('validateStages', () => {
  it('accepts a list of open stages ending with won then lost', () => {
    expect(validateStages(['discovery', 'trial', 'proposal', 'negotiation', 'won', 'lost'])).toBeNull();
    expect(validateStages(['pitch', 'won', 'lost'])).toBeNull();
  });

  it.each([
    [['won', 'lost'], /at least one open stage/],
    [['discovery', 'lost', 'won'], /won and lost/],
    [['discovery', 'trial', 'won'], /won and lost/],
    [['discovery', 'discovery', 'won', 'lost'], /unique/],
    [['Discovery', 'won', 'lost'], /lowercase/],
    [['demo call', 'won', 'lost'], /lowercase/],
    [['1st', 'won', 'lost'], /lowercase/],
  ])('refuses %j', (stages, problem) => {
    expect(validateStages(stages)).toMatch(problem);
  });
});

describe('planConversion', () => {
  const lead = { email: 'ana@initech.com', company: 'Initech', domain: null, firstName: 'Ana', lastName: 'Lopez' };

  it('reuses the account matched by domain and the contact matched by email', () => {
    expect(planConversion({ lead, accountByDomain: { id: 'acc' }, contactByEmail: { id: 'con' } })).toEqual({
      account: { reuseId: 'acc' },
      contact: { reuseId: 'con' },
    });
  });

  it('creates the account from the company, keyed by the email domain when the lead has no domain', () => {
    expect(planConversion({ lead, accountByDomain: null, contactByEmail: null })).toEqual({
      account: { create: { name: 'Initech', domain: 'initech.com', domainNormalized: 'initech.com' } },
      contact: { create: true },
    });
  });

  it('prefers the lead domain, kept as written, normalised for matching', () => {
    const plan = planConversion({ lead: { ...lead, domain: 'https://www.Initech.io/' }, accountByDomain: null, contactByEmail: null });
    expect(plan.account).toEqual({ create: { name: 'Initech', domain: 'https://www.Initech.io/', domainNormalized: 'initech.io' } });
  });

  it('never keys an account on a free-mail domain and names it after what is known', () => {
    const free = { email: 'ana@gmail.com', company: null, domain: null, firstName: 'Ana', lastName: 'Lopez' };
    expect(planConversion({ lead: free, accountByDomain: null, contactByEmail: null }).account).toEqual({
      create: { name: 'Ana Lopez', domain: null, domainNormalized: null },
    });
    const nothing = { email: null, company: '  ', domain: null, firstName: null, lastName: null };
    expect(planConversion({ lead: nothing, accountByDomain: null, contactByEmail: null }).account).toEqual({
      create: { name: 'Unnamed account', domain: null, domainNormalized: null },
    });
  });
});
