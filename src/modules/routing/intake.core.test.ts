import { describe, expect, it } from 'vitest';
import { dedupeKeysOf, type Existing, fillValues, type IncomingLead, planDedupe, unreachable } from './intake.core.js';

/** The rule on raw submissions, keys normalised as intake does. */
const plan = (batch: IncomingLead[], ex: Existing) => planDedupe(batch.map(dedupeKeysOf), ex);

const empty = (): Existing => ({
  byExternalId: new Map(),
  openLeadByEmail: new Map(),
  closedLeadByEmail: new Map(),
  contactByEmail: new Map(),
  accountByDomain: new Map(),
});

describe('lead dedupe rule (golden cases)', () => {
  it('returns the stored lead for a known external id, and merges repeats inside a batch', () => {
    const ex = empty();
    ex.byExternalId.set('X1', 'lead-1');
    const plans = plan([{ externalId: 'X1' }, { externalId: 'X2' }, { externalId: 'X2', email: 'a@b.io' }], ex);
    expect(plans[0]).toMatchObject({ kind: 'existing', leadId: 'lead-1' });
    expect(plans[1]).toMatchObject({ kind: 'create' });
    expect(plans[2]).toMatchObject({ kind: 'merge', intoBatchIndex: 1 });
  });
  it('merges into an open lead with the same email, case and spaces ignored', () => {
    const ex = empty();
    ex.openLeadByEmail.set('ana@initech.com', 'lead-9');
    expect(plan([{ email: ' Ana@Initech.COM ' }], ex)[0]).toMatchObject({ kind: 'merge', intoLeadId: 'lead-9' });
  });
  it('creates a new lead flagged for review when the earlier lead is closed', () => {
    const ex = empty();
    ex.closedLeadByEmail.set('ana@initech.com', 'lead-old');
    expect(plan([{ email: 'ana@initech.com' }], ex)[0]).toMatchObject({ kind: 'create', duplicateOf: 'lead-old', needsReview: true });
  });
  it('links to a known contact and to the account of the company domain, never a free-mail one', () => {
    const ex = empty();
    ex.contactByEmail.set('bo@globex.com', { contactId: 'c1', accountId: 'acc-g' });
    ex.accountByDomain.set('globex.com', { id: 'acc-g', ownerId: 'ae-1' });
    ex.accountByDomain.set('gmail.com', { id: 'never', ownerId: null });
    const [a, b, c] = plan([{ email: 'bo@globex.com' }, { email: 'cy@globex.com' }, { email: 'dee@gmail.com' }], ex);
    expect(a).toMatchObject({ kind: 'create', contactId: 'c1', account: { id: 'acc-g', ownerId: 'ae-1' } });
    expect(b).toMatchObject({ kind: 'create', contactId: null, account: { id: 'acc-g' } });
    expect(c).toMatchObject({ kind: 'create', account: null });
  });
  it('fills from the first submission bringing each field', () => {
    expect(
      fillValues<Record<string, unknown>>(
        [
          { phone: null, company: 'Initech', title: '' },
          { phone: '123', company: 'Other', title: 'CTO', employees: 0 },
          { phone: '456', title: 'CEO' },
        ],
        ['phone', 'company', 'title', 'employees', 'country'],
      ),
    ).toEqual({ phone: '123', company: 'Initech', title: 'CTO', employees: 0 });
  });
  it('needs an email or a phone on a web form lead', () => {
    expect(unreachable({})).toEqual({ path: 'email', message: 'an email or a phone is required' });
    expect(unreachable({ phone: '+1 555' })).toBeNull();
    expect(unreachable({ email: 'a@b.io' })).toBeNull();
  });
});
