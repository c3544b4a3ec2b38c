import type { Channel, LeadStatus, Permission, Role, SegmentCode, SourceType } from './domain';

/** Shapes of the API's JSON (camelCase). Money is a decimal string; dates 'YYYY-MM-DD'; timestamps ISO strings. */

export type Page<T> = { items: T[]; nextCursor: string | null };
export type Items<T> = { items: T[] };

export type Segment = { code: SegmentCode; name: string; maxEmployees: number | null; maxArr: string | null };

export type Workspace = {
  id: string;
  name: string;
  slug: string;
  timezone: string;
  currency: string;
  opportunityStages: string[];
  isDemo: boolean;
  createdAt: string;
};

export type User = {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  teamId: string | null;
  segments: SegmentCode[];
  hireDate: string | null;
  level: number;
  capacity: number;
  outOfOfficeUntil: string | null;
  active: boolean;
  createdAt: string;
};

export type Me = {
  kind: 'user' | 'api_key' | 'system';
  user: User | null;
  roles: Role[];
  permissions: Permission[];
  managedUserIds: string[];
  home: string;
  csrfToken: string | null;
  workspace: Workspace & { segments: Segment[] };
};

export type Team = { id: string; name: string; managerId: string | null; memberCount: number };

export type Lead = {
  id: string;
  externalId: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  domain: string | null;
  title: string | null;
  phone: string | null;
  employees: number | null;
  expectedArr: string | null;
  country: string | null;
  sourceType: SourceType;
  channel: Channel;
  status: LeadStatus;
  disqualifyReason: string | null;
  segment: SegmentCode | null;
  ownerId: string | null;
  accountId: string | null;
  contactId: string | null;
  opportunityId: string | null;
  /** Set by intake, the scorecard and routing (read-only). */
  direction?: 'inbound' | 'outbound' | null;
  queue?: string | null;
  score?: number | null;
  qualified?: boolean | null;
  firstTouchAt?: string | null;
  firstTouchDueAt?: string | null;
  needsReview?: boolean;
  duplicateOf?: string | null;
  createdAt: string;
  updatedAt: string;
};

export type Opportunity = {
  id: string;
  name: string;
  accountId: string | null;
  contactId: string | null;
  leadId: string | null;
  stage: string;
  lostReason: string | null;
  amount: string;
  closeDate: string | null;
  ownerId: string | null;
  sdrId: string | null;
  segment: SegmentCode | null;
  sourceType: SourceType | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export type Account = {
  id: string;
  name: string;
  domain: string | null;
  employees: number | null;
  industry: string | null;
  country: string | null;
  segment: SegmentCode | null;
  ownerId: string | null;
  csmId: string | null;
  createdAt: string;
};

export type Contact = {
  id: string;
  accountId: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  title: string | null;
  phone: string | null;
  ownerId: string | null;
  createdAt: string;
};

export type Subscription = {
  id: string;
  accountId: string;
  opportunityId: string | null;
  plan: string | null;
  arr: string;
  startDate: string;
  renewalDate: string | null;
  status: 'trialing' | 'active' | 'churned' | 'cancelled';
};

export type Activity = {
  id: string;
  kind: string;
  subject: string;
  body: string | null;
  recordType: string;
  recordId: string;
  actorId: string | null;
  occurredAt: string;
};

export type HistoryItem = {
  id: string;
  field: 'status' | 'stage' | 'owner';
  from: string | null;
  to: string | null;
  reason: string | null;
  actorId: string | null;
  actorName: string | null;
  changedAt: string;
};

export type StageTotal = { stage: string; count: number; amount: string };

export type TeamMemberStats = {
  userId: string;
  name: string;
  roles: Role[];
  teamId: string | null;
  capacity: number;
  outOfOfficeUntil: string | null;
  openLeads: number;
  openOpportunities: number;
  openPipeline: string;
  wonThisQuarter: number;
  wonThisQuarterAmount: string;
  sourcedThisQuarter: number;
};

export type ApiKey = {
  id: string;
  name: string;
  prefix: string;
  permissions: Permission[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export type AuditEntry = {
  id: number;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  recordType: string | null;
  recordId: string | null;
  before: unknown;
  after: unknown;
  at: string;
};
