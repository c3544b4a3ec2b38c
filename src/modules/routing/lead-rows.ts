import type { BulkColumn } from '../../db/bulk.js';
import { normalizeEmail } from '../crm/crm.core.js';
import type { LeadCreate } from '../crm/crm.schema.js';

/** A lead about to be inserted by intake, with everything classification and routing decided. */
export type NewLead = {
  id: string;
  input: LeadCreate;
  sourceType: string;
  direction: 'inbound' | 'outbound';
  segment: string | null;
  ownerId: string | null;
  queue: string | null;
  accountId: string | null;
  contactId: string | null;
  duplicateOf: string | null;
  needsReview: boolean;
  createdAt: Date;
  /** The user taking the lead in; null for API keys, integrations and the system. */
  createdBy: string | null;
  firstTouchDueAt: Date;
};

export const LEAD_COLUMNS: BulkColumn[] = [
  { name: 'id', type: 'uuid' },
  { name: 'workspace_id', type: 'uuid' },
  { name: 'external_id', type: 'text' },
  { name: 'email', type: 'text' },
  { name: 'email_normalized', type: 'text' },
  { name: 'first_name', type: 'text' },
  { name: 'last_name', type: 'text' },
  { name: 'company', type: 'text' },
  { name: 'domain', type: 'text' },
  { name: 'title', type: 'text' },
  { name: 'phone', type: 'text' },
  { name: 'employees', type: 'int' },
  { name: 'expected_arr', type: 'numeric' },
  { name: 'country', type: 'text' },
  { name: 'source_type', type: 'text' },
  { name: 'channel', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'segment', type: 'text' },
  { name: 'owner_id', type: 'uuid' },
  { name: 'account_id', type: 'uuid' },
  { name: 'contact_id', type: 'uuid' },
  { name: 'direction', type: 'text' },
  { name: 'queue', type: 'text' },
  { name: 'duplicate_of', type: 'uuid' },
  { name: 'needs_review', type: 'boolean' },
  { name: 'first_touch_due_at', type: 'timestamptz' },
  { name: 'created_at', type: 'timestamptz' },
  { name: 'updated_at', type: 'timestamptz' },
  { name: 'created_by', type: 'uuid' },
];

export function leadRow(workspaceId: string, l: NewLead): unknown[] {
  const i = l.input;
  return [
    l.id,
    workspaceId,
    i.externalId ?? null,
    i.email ?? null,
    normalizeEmail(i.email),
    i.firstName ?? null,
    i.lastName ?? null,
    i.company ?? null,
    i.domain ?? null,
    i.title ?? null,
    i.phone ?? null,
    i.employees ?? null,
    i.expectedArr ?? null,
    i.country ?? null,
    l.sourceType,
    i.channel,
    'new',
    l.segment,
    l.ownerId,
    l.accountId,
    l.contactId,
    l.direction,
    l.queue,
    l.duplicateOf,
    l.needsReview,
    l.firstTouchDueAt,
    l.createdAt,
    l.createdAt,
    l.createdBy,
  ];
}
