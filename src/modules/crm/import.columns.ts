import type { z } from 'zod';
import { accounts, contacts, leads, opportunities, type ResourceDef, subscriptions } from './crm.resources.js';
import { accountCreate, contactCreate, leadCreate, opportunityCreate } from './crm.schema.js';

/**
 * The CSV format of each record kind, shared by import and export so that an export imports back unchanged.
 * Headers are snake_case (`first_name`); camelCase (`firstName`) and other casings are accepted on import.
 */

export const IMPORT_KINDS = ['accounts', 'contacts', 'leads', 'opportunities'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const EXPORT_KINDS = [...IMPORT_KINDS, 'subscriptions'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** How a cell's text becomes a value before the zod schema sees it. */
export type CellType = 'text' | 'int' | 'money' | 'date' | 'datetime';

export type ColumnDef =
  /** Revline's own id (from an export): the row updates that record. */
  | { name: string; kind: 'id' }
  /** A record field, set directly. */
  | { name: string; kind: 'field'; field: string; type: CellType }
  /** A user named by email (`owner_email`), stored as a user id in `field`. */
  | { name: string; kind: 'user'; field: string }
  /** The account, named by any one of its id, external id or domain. */
  | { name: string; kind: 'account'; by: 'id' | 'externalId' | 'domain' };

export type KindSpec = {
  kind: ExportKind;
  resource: ResourceDef;
  columns: ColumnDef[];
  /** The API's create schema: import validates rows with it, so both paths accept the same data. */
  schema: z.ZodObject | null;
  /** Columns a file must have when it can create records (it has neither `id` nor `external_id`). */
  requiredColumns: string[];
};

const id: ColumnDef = { name: 'id', kind: 'id' };
const text = (name: string, field = camel(name)): ColumnDef => ({ name, kind: 'field', field, type: 'text' });
const typed = (name: string, type: CellType): ColumnDef => ({ name, kind: 'field', field: camel(name), type });
const user = (name: string, field: string): ColumnDef => ({ name, kind: 'user', field });
const accountRefs: ColumnDef[] = [
  { name: 'account_id', kind: 'account', by: 'id' },
  { name: 'account_external_id', kind: 'account', by: 'externalId' },
  { name: 'account_domain', kind: 'account', by: 'domain' },
];

export const KINDS: Record<ExportKind, KindSpec> = {
  accounts: {
    kind: 'accounts',
    resource: accounts,
    schema: accountCreate,
    requiredColumns: ['name'],
    columns: [
      id,
      text('external_id'),
      text('name'),
      text('domain'),
      typed('employees', 'int'),
      text('industry'),
      text('country'),
      text('segment'),
      user('owner_email', 'ownerId'),
      user('csm_email', 'csmId'),
    ],
  },
  contacts: {
    kind: 'contacts',
    resource: contacts,
    schema: contactCreate,
    requiredColumns: [],
    columns: [
      id,
      text('external_id'),
      ...accountRefs,
      text('first_name'),
      text('last_name'),
      text('email'),
      text('title'),
      text('phone'),
      user('owner_email', 'ownerId'),
    ],
  },
  leads: {
    kind: 'leads',
    resource: leads,
    schema: leadCreate,
    // source_type may be left out: the workspace's channel rules classify the lead.
    requiredColumns: ['channel'],
    columns: [
      id,
      text('external_id'),
      text('email'),
      text('first_name'),
      text('last_name'),
      text('company'),
      text('domain'),
      text('title'),
      text('phone'),
      typed('employees', 'int'),
      typed('expected_arr', 'money'),
      text('country'),
      text('source_type'),
      text('channel'),
      text('status'),
      text('disqualify_reason'),
      text('segment'),
      user('owner_email', 'ownerId'),
      typed('created_at', 'datetime'),
    ],
  },
  opportunities: {
    kind: 'opportunities',
    resource: opportunities,
    schema: opportunityCreate,
    requiredColumns: ['name'],
    columns: [
      id,
      text('external_id'),
      text('name'),
      ...accountRefs,
      text('stage'),
      text('lost_reason'),
      typed('amount', 'money'),
      typed('close_date', 'date'),
      user('owner_email', 'ownerId'),
      user('sdr_email', 'sdrId'),
      text('segment'),
      text('source_type'),
    ],
  },
  subscriptions: {
    kind: 'subscriptions',
    resource: subscriptions,
    schema: null,
    requiredColumns: [],
    columns: [
      id,
      text('external_id'),
      ...accountRefs,
      text('opportunity_id'),
      text('plan'),
      typed('arr', 'money'),
      typed('start_date', 'date'),
      typed('renewal_date', 'date'),
      text('status'),
    ],
  },
};

export function camel(snake: string): string {
  return snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** `First Name`, `first_name`, `firstName` and `FIRST_NAME` all name the same column. */
const squash = (header: string) =>
  header
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');

export type HeaderResult =
  | { ok: true; columns: ColumnDef[]; headers: string[] }
  | { ok: false; message: string; problems: { column: string; message: string }[] };

/** Maps a header row to column definitions; refuses unknown, repeated and (for creating files) missing columns. */
export function resolveHeader(spec: KindSpec, header: string[]): HeaderResult {
  const byKey = new Map(spec.columns.map((c) => [squash(c.name), c]));
  const problems: { column: string; message: string }[] = [];
  const seen = new Map<string, string>();
  const columns: ColumnDef[] = [];
  for (const h of header) {
    const col = byKey.get(squash(h));
    if (!col) {
      problems.push({ column: h, message: h.trim() ? 'unknown column' : 'empty column name' });
      continue;
    }
    const earlier = seen.get(col.name);
    if (earlier !== undefined) problems.push({ column: h, message: `same column as "${earlier}"` });
    seen.set(col.name, h);
    columns.push(col);
  }
  const creates = !seen.has('id') && !seen.has('external_id');
  if (creates)
    for (const name of spec.requiredColumns) if (!seen.has(name)) problems.push({ column: name, message: 'required column is missing' });
  if (!problems.length) return { ok: true, columns, headers: header };
  const named = (message: string) => problems.filter((p) => p.message === message).map((p) => p.column);
  const plural = (n: number) => (n > 1 ? 's' : '');
  const unknown = named('unknown column');
  const missing = named('required column is missing');
  const parts = [
    unknown.length ? `unknown column${plural(unknown.length)} ${unknown.map((c) => `"${c}"`).join(', ')}` : '',
    missing.length ? `missing required column${plural(missing.length)} ${missing.join(', ')}` : '',
    ...problems.filter((p) => !unknown.includes(p.column) && !missing.includes(p.column)).map((p) => `"${p.column}": ${p.message}`),
  ].filter(Boolean);
  const accepted = spec.columns.map((c) => c.name).join(', ');
  return {
    ok: false,
    message: `${spec.kind} CSV header: ${parts.join('; ')}. Accepted columns: ${accepted} (the first line must be the header row)`,
    problems,
  };
}

export type Cell = { ok: true; value: unknown } | { ok: false; message: string };

/** Text to a typed value; empty cells are null. Formats the schema checks itself (money, dates) pass through. */
export function convertCell(type: CellType, raw: string | null): Cell {
  if (raw == null || raw.trim() === '') return { ok: true, value: null };
  const v = raw.trim();
  switch (type) {
    case 'int':
      if (!/^[+-]?\d{1,15}$/.test(v)) return { ok: false, message: `a whole number, not "${v}"` };
      return { ok: true, value: Number(v) };
    case 'datetime':
      // A bare date means midnight UTC: timestamps are UTC everywhere.
      return { ok: true, value: /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v };
    default:
      return { ok: true, value: type === 'text' ? raw : v };
  }
}
