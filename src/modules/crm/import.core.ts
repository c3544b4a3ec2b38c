import type { z } from 'zod';
import { money } from '../../platform/money.js';
import type { SegmentThreshold } from '../org/org.core.js';
import { normalizeDomain, normalizeEmail } from './crm.core.js';
import { convertCell, type KindSpec } from './import.columns.js';
import type { CsvRow, Parsed } from './import.parse.js';
import { type HistoryEntry, historyOf, kindRules, type RuleEnv } from './import.rules.js';

export type { HistoryEntry };

/**
 * Pure CSV import: parsed rows -> validated, typed records and a plan (insert / update / unchanged),
 * or a report naming row, column and problem. The service loads the lookups and writes the plan.
 */

export type RowIssue = { row: number; line: number; column: string; message: string };

export type Existing = { id: string } & Record<string, unknown>;
export type AccountRef = { id: string; externalId: string | null; domainNormalized: string | null; name: string };

/** What validation needs from the database, loaded by the service before any write. */
export type Lookups = {
  usersByEmail: Map<string, string>;
  stages: string[];
  segments: SegmentThreshold[];
  accounts: AccountRef[];
  /** Records of this kind the file's `id` and `external_id` cells point at. */
  existing: Existing[];
};

export type PlannedRow = {
  row: number;
  action: 'insert' | 'update' | 'unchanged';
  id: string;
  /** The whole record as it will be (API field names), plus the normalised keys it carries. */
  values: Record<string, unknown>;
  hidden: Record<string, unknown>;
  history: HistoryEntry[];
};
export type Plan = { planned: PlannedRow[]; issues: RowIssue[]; invalidRows: number; totalRows: number };

type Ctx = {
  spec: KindSpec;
  file: Parsed;
  lookups: Lookups;
  byId: Map<string, Existing>;
  byExternalId: Map<string, Existing>;
  accountBy: { id: Map<string, AccountRef>; externalId: Map<string, AccountRef>; domain: Map<string, AccountRef> };
  fieldColumn: Map<string, string>;
  rules: RuleEnv;
  newId: () => string;
};

/** Validates every row and decides what each valid one does. Invalid rows appear only in `issues`. */
export function planImport(spec: KindSpec, file: Parsed, lookups: Lookups, opts: { now: Date; newId: () => string }): Plan {
  const index = <T>(list: T[], key: (x: T) => unknown) => new Map(list.filter((x) => key(x) != null).map((x) => [key(x) as string, x]));
  const fieldColumn = new Map<string, string>();
  file.columns.forEach((c, i) => {
    if (c.kind === 'field' || c.kind === 'user') fieldColumn.set(c.field, file.headers[i]);
    if (c.kind === 'account' && !fieldColumn.has('accountId')) fieldColumn.set('accountId', file.headers[i]);
  });
  const ctx: Ctx = {
    spec,
    file,
    lookups,
    byId: index(lookups.existing, (e) => e.id),
    byExternalId: index(lookups.existing, (e) => e.externalId),
    accountBy: {
      id: index(lookups.accounts, (a) => a.id),
      externalId: index(lookups.accounts, (a) => a.externalId),
      domain: index(lookups.accounts, (a) => a.domainNormalized),
    },
    fieldColumn,
    rules: { kind: spec.kind, stages: lookups.stages, segments: lookups.segments, now: opts.now, columnOf: (f) => columnOf(ctx, f) },
    newId: opts.newId,
  };
  const issues: RowIssue[] = [];
  const planned: PlannedRow[] = [];
  const externalIds: { row: CsvRow; value: string; column: string }[] = [];
  for (const r of file.rows) {
    const out = planRow(ctx, r);
    issues.push(...out.issues);
    if (out.planned) planned.push(out.planned);
    if (out.externalId) externalIds.push({ row: r, value: out.externalId, column: columnOf(ctx, 'externalId') });
  }
  issues.push(...duplicates(externalIds, (v) => `duplicate external_id "${v}"`));
  issues.push(
    ...duplicates(
      planned.filter((p) => p.action !== 'insert').map((p) => ({ row: rowOf(file, p.row), value: p.id, column: columnOf(ctx, 'id') })),
      () => 'updates the same record',
    ),
  );
  if (spec.kind === 'accounts') issues.push(...domainClashes(ctx, planned));
  const bad = new Set(issues.map((i) => i.row));
  issues.sort((a, b) => a.row - b.row);
  return { planned: planned.filter((p) => !bad.has(p.row)), issues, invalidRows: bad.size, totalRows: file.rows.length };
}

const rowOf = (file: Parsed, row: number) => file.rows[row - 1];
/** The file's header for a field, or the documented column name when the file does not have it. */
function columnOf(ctx: Ctx, field: string): string {
  const given = ctx.fieldColumn.get(field) ?? ctx.file.headers[ctx.file.columns.findIndex((c) => c.kind === field)];
  if (given !== undefined) return given;
  const col = ctx.spec.columns.find((c) => (c.kind === 'field' || c.kind === 'user') && c.field === field);
  return col?.name ?? field;
}

/** Every row sharing a key is reported, each naming the others: the file cannot say which one is right. */
function duplicates(items: { row: CsvRow; value: string; column: string }[], what: (value: string) => string): RowIssue[] {
  const groups = new Map<string, typeof items>();
  for (const it of items) {
    const group = groups.get(it.value);
    if (group) group.push(it);
    else groups.set(it.value, [it]);
  }
  const issues: RowIssue[] = [];
  for (const [value, group] of groups) {
    if (group.length < 2) continue;
    for (const it of group) {
      const others = group.filter((g) => g !== it).map((g) => g.row.row);
      issues.push({ row: it.row.row, line: it.row.line, column: it.column, message: `${what(value)}: also on row ${others.join(', ')}` });
    }
  }
  return issues;
}

/** An account domain is unique per workspace: refuse a domain used by another row or another account. */
function domainClashes(ctx: Ctx, planned: PlannedRow[]): RowIssue[] {
  const withDomain = planned.filter((p) => p.hidden.domain_normalized);
  const column = columnOf(ctx, 'domain');
  const issues = duplicates(
    withDomain.map((p) => ({ row: rowOf(ctx.file, p.row), value: p.hidden.domain_normalized as string, column })),
    (v) => `domain ${v} is used by another row`,
  );
  for (const p of withDomain) {
    const holder = ctx.accountBy.domain.get(p.hidden.domain_normalized as string);
    if (holder && holder.id !== p.id) {
      const r = rowOf(ctx.file, p.row);
      issues.push({
        row: r.row,
        line: r.line,
        column,
        message: `domain ${p.hidden.domain_normalized} already belongs to account "${holder.name}"`,
      });
    }
  }
  return issues;
}

type RowOut = { issues: RowIssue[]; planned?: PlannedRow; externalId?: string };

function planRow(ctx: Ctx, r: CsvRow): RowOut {
  const { spec, file, lookups } = ctx;
  const issues: RowIssue[] = [];
  const add = (column: string, message: string) => issues.push({ row: r.row, line: r.line, column, message });
  if (r.cells.length !== file.columns.length)
    return {
      issues: [
        { row: r.row, line: r.line, column: '(row)', message: `has ${r.cells.length} cells, the header has ${file.columns.length}` },
      ],
    };

  // PostgreSQL text cannot hold NUL; refuse it here, naming the cell, rather than fail the whole write.
  for (const [i, c] of r.cells.entries()) if (c?.includes('\u0000')) add(file.headers[i], 'contains a NUL character');
  const input: Record<string, unknown> = {};
  let idCell: string | null = null;
  const accountHits: { header: string; account: AccountRef }[] = [];
  let accountColumns = false;
  for (const [i, col] of file.columns.entries()) {
    const header = file.headers[i];
    const raw = r.cells[i]?.trim() ? (r.cells[i] as string) : null;
    if (col.kind === 'id') idCell = raw?.trim().toLowerCase() ?? null;
    else if (col.kind === 'field') {
      const c = convertCell(col.type, raw);
      if (c.ok) input[col.field] = c.value;
      else add(header, c.message);
    } else if (col.kind === 'user') {
      if (raw == null) input[col.field] = null;
      else {
        const userId = lookups.usersByEmail.get(normalizeEmail(raw) ?? '');
        if (userId) input[col.field] = userId;
        else add(header, `no user with email ${raw.trim()} in this workspace`);
      }
    } else {
      accountColumns = true;
      if (raw == null) continue;
      const key = col.by === 'domain' ? normalizeDomain(raw) : col.by === 'id' ? raw.trim().toLowerCase() : raw.trim();
      const account = key ? ctx.accountBy[col.by].get(key) : undefined;
      if (account) accountHits.push({ header, account });
      else add(header, `no account with this ${col.by === 'externalId' ? 'external id' : col.by} in this workspace`);
    }
  }
  if (accountColumns) {
    const first = accountHits[0];
    const other = accountHits.find((h) => h.account.id !== first?.account.id);
    if (other) add(other.header, `names a different account than ${first.header}`);
    input.accountId = first?.account.id ?? null;
  }
  const externalId = typeof input.externalId === 'string' ? input.externalId.trim() : undefined;

  // Which record the row is about: by Revline id, else by external id, else a new one.
  let existing: Existing | undefined;
  if (idCell) {
    existing = ctx.byId.get(idCell);
    if (!existing) add(columnOf(ctx, 'id'), `no ${spec.resource.label.toLowerCase()} with id ${idCell} in this workspace`);
    const holder = externalId ? ctx.byExternalId.get(externalId) : undefined;
    if (existing && holder && holder.id !== existing.id)
      add(columnOf(ctx, 'externalId'), `external_id "${externalId}" belongs to another record`);
  } else if (externalId) existing = ctx.byExternalId.get(externalId);

  // Every check runs even after a failed one, so the report lists all of a row's problems at once.
  const values = validateFields(ctx, input, !!existing, add);
  const record: Record<string, unknown> = { ...(existing ?? {}), ...values };
  if (existing) delete record.createdAt; // the creation time of an existing record is history, not data
  const hidden = kindRules(ctx.rules, record, input, existing, add);
  if (issues.length || !values) return { issues, externalId };

  const id = existing?.id ?? ctx.newId();
  const changed = existing ? Object.keys(record).filter((k) => k !== 'updatedAt' && comparable(record[k]) !== comparable(existing[k])) : [];
  const action = !existing ? 'insert' : changed.length ? 'update' : 'unchanged';
  return {
    issues,
    externalId,
    planned: { row: r.row, action, id, values: record, hidden, history: historyOf(ctx.spec.kind, id, existing, record) },
  };
}

/** The API's create schema on the row's fields: every field for a new record, only the file's columns for an update. */
function validateFields(ctx: Ctx, input: Record<string, unknown>, update: boolean, add: (c: string, m: string) => void) {
  const schema = ctx.spec.schema;
  if (!schema) return null;
  const shape = schema.shape as Record<string, { safeParse: (v: unknown) => { success: boolean } }>;
  const given: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input)) {
    if (!(field in shape)) continue;
    // An empty cell is null; for a field that cannot be null but may be left out, it means "use the default".
    given[field] = value === null && !acceptsNull(shape[field]) && acceptsUndefined(shape[field]) ? undefined : value;
  }
  const result = (update ? partialOf(schema) : schema).safeParse(given);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? '');
      const missing = issue.code === 'invalid_type' && given[field] == null;
      add(columnOf(ctx, field), missing ? 'required' : issue.message);
    }
    return null;
  }
  const data = result.data as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    // A partial schema still fills defaults; an update only touches the columns the file has, and an empty
    // cell of a field that cannot be empty (a lead's source_type) keeps the stored value.
    if (update && (!(k in given) || v === undefined)) continue;
    // Money is stored with two decimals; normalising here makes `100` and `100.00` compare equal.
    out[k] = v != null && isMoney(ctx.spec, k) ? money(v as string) : v;
  }
  if (!update) for (const k of Object.keys(shape)) if (!(k in out)) out[k] = null;
  delete out.createdAt;
  if (!update && data.createdAt) out.createdAt = data.createdAt;
  if (update && out.externalId === undefined) delete out.externalId;
  return out;
}

const isMoney = (spec: KindSpec, field: string) => spec.columns.some((c) => c.kind === 'field' && c.field === field && c.type === 'money');

const partials = new WeakMap<z.ZodObject, z.ZodObject>();
function partialOf(schema: z.ZodObject): z.ZodObject {
  const cached = partials.get(schema);
  if (cached) return cached;
  const p = schema.partial() as unknown as z.ZodObject;
  partials.set(schema, p);
  return p;
}

const nullCache = new WeakMap<object, [boolean, boolean]>();
function probe(s: { safeParse: (v: unknown) => { success: boolean } }) {
  const cached = nullCache.get(s);
  if (cached) return cached;
  const v: [boolean, boolean] = [s.safeParse(null).success, s.safeParse(undefined).success];
  nullCache.set(s, v);
  return v;
}
const acceptsNull = (s: { safeParse: (v: unknown) => { success: boolean } }) => probe(s)[0];
const acceptsUndefined = (s: { safeParse: (v: unknown) => { success: boolean } }) => probe(s)[1];

const comparable = (v: unknown) => (v == null ? null : v instanceof Date ? v.toISOString() : String(v));

/** The printed report: one line per problem, capped, with a count of the rest. */
export function formatIssues(issues: RowIssue[], cap = 50): string[] {
  const lines = issues.slice(0, cap).map((i) => `  row ${i.row} (line ${i.line}), ${i.column}: ${i.message}`);
  if (issues.length > cap) lines.push(`  ... and ${issues.length - cap} more problem${issues.length - cap > 1 ? 's' : ''}`);
  return lines;
}
