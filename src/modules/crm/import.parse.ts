import { parse } from 'csv-parse/sync';
import { normalizeDomain } from './crm.core.js';
import { type ColumnDef, type KindSpec, resolveHeader } from './import.columns.js';

/** CSV text to header-mapped rows (pure); the first line must be the header. */

/** A data row: `row` counts data rows from 1; `line` is where the row starts in the file (the header is line 1). */
export type CsvRow = { row: number; line: number; cells: (string | null)[] };
export type Parsed = { columns: ColumnDef[]; headers: string[]; rows: CsvRow[] };

export type FileProblem = { message: string; problems: { column: string; message: string }[] };

export function parseCsv(spec: KindSpec, text: string): { ok: true; file: Parsed } | { ok: false; error: FileProblem } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, bom: true, skip_empty_lines: true, relax_column_count: true }) as unknown as typeof records;
  } catch (e) {
    return { ok: false, error: { message: `not a readable CSV file: ${(e as Error).message}`, problems: [] } };
  }
  if (!records.length) return { ok: false, error: { message: 'the file is empty: a header row is required', problems: [] } };
  const header = resolveHeader(spec, records[0].record);
  if (!header.ok) return { ok: false, error: header };
  // csv-parse reports the line a record ends on, counting a CRLF inside a quoted cell as two lines;
  // the report wants the line the row starts on, as an editor numbers it.
  const count = (cells: string[], re: RegExp) => cells.reduce((n, c) => n + (c.match(re)?.length ?? 0), 0);
  let overcount = 0;
  const rows = records.slice(1).map((r, i) => {
    overcount += count(r.record, /\r\n/g);
    return { row: i + 1, line: r.info.lines - overcount - count(r.record, /\r\n|\r|\n/g), cells: r.record };
  });
  return { ok: true, file: { columns: header.columns, headers: header.headers, rows } };
}

/** The keys the rows mention, so the service can load just those records and users. */
export function referencedKeys(file: Parsed) {
  const uuidLike = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const keys = {
    ids: new Set<string>(),
    externalIds: new Set<string>(),
    accountIds: new Set<string>(),
    accountExternalIds: new Set<string>(),
    accountDomains: new Set<string>(),
    domains: new Set<string>(),
  };
  file.columns.forEach((col, i) => {
    for (const r of file.rows) {
      const v = r.cells[i]?.trim();
      if (!v || v.includes('\u0000')) continue;
      if (col.kind === 'id' && uuidLike.test(v)) keys.ids.add(v.toLowerCase());
      else if (col.kind === 'field' && col.field === 'externalId') keys.externalIds.add(v);
      else if (col.kind === 'field' && col.field === 'domain') {
        const d = normalizeDomain(v);
        if (d) keys.domains.add(d);
      } else if (col.kind === 'account') {
        if (col.by === 'id' && uuidLike.test(v)) keys.accountIds.add(v.toLowerCase());
        if (col.by === 'externalId') keys.accountExternalIds.add(v);
        const d = col.by === 'domain' ? normalizeDomain(v) : null;
        if (d) keys.accountDomains.add(d);
      }
    }
  });
  return Object.fromEntries(Object.entries(keys).map(([k, s]) => [k, [...s]])) as { [K in keyof typeof keys]: string[] };
}
