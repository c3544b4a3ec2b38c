import { domainOfEmail, normalizeDomain, normalizeEmail } from '../crm/crm.core.js';

/**
 * The dedupe rule for incoming leads, pure. In order:
 * 1. Same external id as a lead already stored (or earlier in the batch): the existing lead is returned,
 *    nothing is written (retries are idempotent).
 * 2. Same normalised email as an open lead (new, working, qualified, handed off): merged into it
 *    (its blank fields are filled and the submission is logged on it); no new lead.
 * 3. Same email as a closed lead (converted or disqualified): a new lead is created, linked to the old one
 *    and flagged for review on the merge screen (a person decides: a returning buyer or a duplicate).
 * 4. Same email as a contact: a new lead linked to that contact and its account.
 * 5. Otherwise a new lead; its company domain (or email domain, never free mail) links it to an account.
 * Nothing is dropped silently: every input gets a result saying which of these happened.
 */
export type IncomingLead = { externalId?: string | null; email?: string | null; domain?: string | null };
/** What the rule compares, normalised once per lead: its external id, email and company domain. */
export type DedupeKeys = { externalId: string | null; email: string | null; domain: string | null };

export type Existing = {
  byExternalId: Map<string, string>;
  openLeadByEmail: Map<string, string>;
  closedLeadByEmail: Map<string, string>;
  contactByEmail: Map<string, { contactId: string; accountId: string | null }>;
  accountByDomain: Map<string, { id: string; ownerId: string | null }>;
};

export type DedupePlan =
  | { kind: 'existing'; leadId: string; why: string }
  | { kind: 'merge'; intoLeadId: string | null; intoBatchIndex: number | null; why: string }
  | {
      kind: 'create';
      duplicateOf: string | null;
      needsReview: boolean;
      contactId: string | null;
      account: { id: string; ownerId: string | null } | null;
      why: string;
    };

export const OPEN_LEAD_STATUSES = ['new', 'working', 'qualified', 'handed_off'];

export const emailKeyOf = (l: IncomingLead) => normalizeEmail(l.email);
export const domainKeyOf = (l: IncomingLead) => normalizeDomain(l.domain) ?? domainOfEmail(l.email);
export const dedupeKeysOf = (l: IncomingLead): DedupeKeys => ({
  externalId: l.externalId ?? null,
  email: emailKeyOf(l),
  domain: domainKeyOf(l),
});

export function planDedupe(batch: DedupeKeys[], existing: Existing): DedupePlan[] {
  const batchExternal = new Map<string, number>();
  const batchEmail = new Map<string, number>();
  return batch.map((lead, i): DedupePlan => {
    const ext = lead.externalId;
    if (ext) {
      const stored = existing.byExternalId.get(ext);
      if (stored) return { kind: 'existing', leadId: stored, why: `external id ${ext} was already received` };
      const earlier = batchExternal.get(ext);
      if (earlier !== undefined)
        return { kind: 'merge', intoLeadId: null, intoBatchIndex: earlier, why: `external id ${ext} repeats row ${earlier}` };
      batchExternal.set(ext, i);
    }
    const { email, domain } = lead;
    if (email) {
      const open = existing.openLeadByEmail.get(email);
      if (open) return { kind: 'merge', intoLeadId: open, intoBatchIndex: null, why: `an open lead with ${email} exists` };
      const earlier = batchEmail.get(email);
      if (earlier !== undefined)
        return { kind: 'merge', intoLeadId: null, intoBatchIndex: earlier, why: `${email} repeats row ${earlier}` };
      batchEmail.set(email, i);
    }
    const account = (domain && existing.accountByDomain.get(domain)) || null;
    const closed = email ? existing.closedLeadByEmail.get(email) : undefined;
    const contact = email ? existing.contactByEmail.get(email) : undefined;
    if (closed)
      return {
        kind: 'create',
        duplicateOf: closed,
        needsReview: true,
        contactId: contact?.contactId ?? null,
        account,
        why: `a closed lead with ${email} exists: flagged for review`,
      };
    if (contact)
      return {
        kind: 'create',
        duplicateOf: null,
        needsReview: false,
        contactId: contact.contactId,
        account:
          account ?? (contact.accountId ? (existing.accountByDomain.get(domain ?? '') ?? { id: contact.accountId, ownerId: null }) : null),
        why: `linked to the existing contact with ${email}`,
      };
    return {
      kind: 'create',
      duplicateOf: null,
      needsReview: false,
      contactId: null,
      account,
      why: account ? `linked to the account ${domain}` : 'new lead',
    };
  });
}

/**
 * What the submissions merged into one lead may fill: per field, the first non-blank value among them, in
 * submission order. The write puts these only into the lead's blank fields (null or empty), never over what a rep
 * has, which leaves the lead as filling its blanks one submission after the other would.
 */
export function fillValues<T extends Record<string, unknown>>(incoming: Partial<T>[], fields: (keyof T)[]): Partial<T> {
  const fill: Partial<T> = {};
  for (const f of fields) {
    const first = incoming.find((i) => i[f] != null && i[f] !== '');
    if (first) fill[f] = first[f];
  }
  return fill;
}

/** A stranger's form submission is only worth a rep's time if they can be reached back. */
export function unreachable(lead: { email?: string | null; phone?: string | null }): { path: string; message: string } | null {
  return lead.email || lead.phone ? null : { path: 'email', message: 'an email or a phone is required' };
}
