import type { SortSpec } from '../../platform/http/list.js';

/**
 * The CRM's record types as data: which columns the API reads and writes (camelCase <-> snake_case),
 * how a caller's data scope applies, and how lists sort. The repository builds its SQL from these.
 */
export type ResourceDef = {
  recordType: 'lead' | 'account' | 'contact' | 'opportunity' | 'subscription' | 'activity';
  label: string;
  table: string;
  columns: Record<string, string>;
  /** SQL deciding whether a row is in scope, given the $n of an owner-id array. */
  scope: { read: (ids: string) => string; write: (ids: string) => string };
  sorts: Record<string, SortSpec>;
  /** Fields that point at other records: each must exist in the same workspace. */
  refs: Record<string, 'users' | 'accounts' | 'contacts' | 'opportunities' | 'leads'>;
};

const ts = (expr: string): SortSpec => ({ expr, type: 'timestamptz' });
const common = { createdAt: 'created_at', updatedAt: 'updated_at' };
const ownedBy =
  (...cols: string[]) =>
  (ids: string) =>
    `(${cols.map((c) => `${c} = any(${ids})`).join(' or ')})`;

export const leads: ResourceDef = {
  recordType: 'lead',
  label: 'Lead',
  table: 'leads',
  columns: {
    externalId: 'external_id',
    email: 'email',
    firstName: 'first_name',
    lastName: 'last_name',
    company: 'company',
    domain: 'domain',
    title: 'title',
    phone: 'phone',
    employees: 'employees',
    expectedArr: 'expected_arr',
    country: 'country',
    sourceType: 'source_type',
    channel: 'channel',
    status: 'status',
    disqualifyReason: 'disqualify_reason',
    segment: 'segment',
    ownerId: 'owner_id',
    accountId: 'account_id',
    contactId: 'contact_id',
    opportunityId: 'opportunity_id',
    // Set by intake, qualification and routing (issue 3); read-only through the lead API.
    direction: 'direction',
    queue: 'queue',
    score: 'score',
    qualified: 'qualified',
    firstTouchAt: 'first_touch_at',
    firstTouchDueAt: 'first_touch_due_at',
    needsReview: 'needs_review',
    duplicateOf: 'duplicate_of',
    ...common,
  },
  scope: { read: ownedBy('owner_id'), write: ownedBy('owner_id') },
  refs: { ownerId: 'users' },
  sorts: {
    createdAt: ts('created_at'),
    updatedAt: ts('updated_at'),
    company: { expr: "coalesce(company, '')", type: 'text' },
    expectedArr: { expr: 'coalesce(expected_arr, 0)', type: 'numeric' },
  },
};

export const accounts: ResourceDef = {
  recordType: 'account',
  label: 'Account',
  table: 'accounts',
  columns: {
    externalId: 'external_id',
    name: 'name',
    domain: 'domain',
    employees: 'employees',
    industry: 'industry',
    country: 'country',
    segment: 'segment',
    ownerId: 'owner_id',
    csmId: 'csm_id',
    ...common,
  },
  scope: { read: ownedBy('owner_id', 'csm_id'), write: ownedBy('owner_id', 'csm_id') },
  refs: { ownerId: 'users', csmId: 'users' },
  sorts: {
    createdAt: ts('created_at'),
    updatedAt: ts('updated_at'),
    name: { expr: 'name', type: 'text' },
    employees: { expr: 'coalesce(employees, 0)', type: 'int' },
  },
};

export const contacts: ResourceDef = {
  recordType: 'contact',
  label: 'Contact',
  table: 'contacts',
  columns: {
    externalId: 'external_id',
    accountId: 'account_id',
    firstName: 'first_name',
    lastName: 'last_name',
    email: 'email',
    title: 'title',
    phone: 'phone',
    ownerId: 'owner_id',
    ...common,
  },
  scope: { read: ownedBy('owner_id'), write: ownedBy('owner_id') },
  refs: { ownerId: 'users', accountId: 'accounts' },
  sorts: {
    createdAt: ts('created_at'),
    updatedAt: ts('updated_at'),
    lastName: { expr: "coalesce(last_name, '')", type: 'text' },
  },
};

export const opportunities: ResourceDef = {
  recordType: 'opportunity',
  label: 'Opportunity',
  table: 'opportunities',
  columns: {
    externalId: 'external_id',
    name: 'name',
    accountId: 'account_id',
    contactId: 'contact_id',
    leadId: 'lead_id',
    stage: 'stage',
    lostReason: 'lost_reason',
    amount: 'amount',
    closeDate: 'close_date',
    ownerId: 'owner_id',
    sdrId: 'sdr_id',
    segment: 'segment',
    sourceType: 'source_type',
    closedAt: 'closed_at',
    ...common,
  },
  // The sourcing SDR follows the deal they created but only the owning AE edits it.
  scope: { read: ownedBy('owner_id', 'sdr_id'), write: ownedBy('owner_id') },
  refs: { ownerId: 'users', sdrId: 'users', accountId: 'accounts', contactId: 'contacts' },
  sorts: {
    createdAt: ts('created_at'),
    updatedAt: ts('updated_at'),
    amount: { expr: 'amount', type: 'numeric' },
    closeDate: { expr: "coalesce(close_date, '9999-12-31')", type: 'date' },
    name: { expr: 'name', type: 'text' },
  },
};

const accountOwnedBy = (ids: string) =>
  `account_id in (select a.id from accounts a where a.owner_id = any(${ids}) or a.csm_id = any(${ids}))`;

export const subscriptions: ResourceDef = {
  recordType: 'subscription',
  label: 'Subscription',
  table: 'subscriptions',
  columns: {
    externalId: 'external_id',
    accountId: 'account_id',
    opportunityId: 'opportunity_id',
    plan: 'plan',
    arr: 'arr',
    startDate: 'start_date',
    renewalDate: 'renewal_date',
    status: 'status',
    ...common,
  },
  scope: { read: accountOwnedBy, write: accountOwnedBy },
  refs: { accountId: 'accounts', opportunityId: 'opportunities' },
  sorts: {
    createdAt: ts('created_at'),
    renewalDate: { expr: "coalesce(renewal_date, '9999-12-31')", type: 'date' },
    arr: { expr: 'arr', type: 'numeric' },
  },
};

export const activities: ResourceDef = {
  recordType: 'activity',
  label: 'Activity',
  table: 'activities',
  columns: {
    kind: 'kind',
    subject: 'subject',
    body: 'body',
    recordType: 'record_type',
    recordId: 'record_id',
    actorId: 'actor_id',
    occurredAt: 'occurred_at',
    dueAt: 'due_at',
    done: 'done',
    createdAt: 'created_at',
  },
  scope: { read: ownedBy('actor_id'), write: ownedBy('actor_id') },
  refs: {},
  sorts: { createdAt: ts('occurred_at') },
};

export const RESOURCES = {
  lead: leads,
  account: accounts,
  contact: contacts,
  opportunity: opportunities,
  subscription: subscriptions,
  activity: activities,
};
