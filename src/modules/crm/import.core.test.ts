import { describe, expect, it } from 'vitest';
import { DEFAULT_SEGMENTS } from '../org/org.core.js';
import { convertCell, KINDS, resolveHeader } from './import.columns.js';
import { formatIssues, type Lookups, planImport } from './import.core.js';
import { parseCsv } from './import.parse.js';

const OWNER = '11111111-1111-4111-8111-111111111111';
const lookups = (over: Partial<Lookups> = {}): Lookups => ({
  usersByEmail: new Map([['owner@acme.test', OWNER]]),
  stages: ['discovery', 'trial', 'proposal', 'negotiation', 'won', 'lost'],
  segments: DEFAULT_SEGMENTS,
  accounts: [],
  existing: [],
  ...over,
});
let n = 0;
const opts = { now: new Date('2024-05-01T12:00:00Z'), newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` };

function plan(kind: keyof typeof KINDS, csv: string, l = lookups()) {
  const parsed = parseCsv(KINDS[kind], csv);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return planImport(KINDS[kind], parsed.file, l, opts);
}

describe('CSV header', () => {
  it('accepts snake_case, camelCase and spaced names, and keeps the file’s spelling for the report', () => {
    const r = resolveHeader(KINDS.leads, ['external_id', 'firstName', 'Last Name', 'SOURCE_TYPE', 'channel']);
    expect(r.ok && r.columns.map((c) => c.name)).toEqual(['external_id', 'first_name', 'last_name', 'source_type', 'channel']);
  });

  it('names unknown and repeated columns, and required ones a creating file lacks', () => {
    const r = resolveHeader(KINDS.leads, ['email', 'first_name', 'firstName', 'colour']);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      { column: 'firstName', message: 'same column as "first_name"' },
      { column: 'colour', message: 'unknown column' },
      { column: 'channel', message: 'required column is missing' },
    ]);
    expect(r.message).toMatch(/^leads CSV header: unknown column "colour"; missing required column channel; "firstName": same column/);
    // A file that only updates (it has external_id) may leave required columns out.
    expect(resolveHeader(KINDS.leads, ['external_id', 'status']).ok).toBe(true);
  });
});

describe('CSV rows', () => {
  it('numbers data rows from 1 and reports the line a row starts on, across quoted line breaks, BOM and CRLF', () => {
    const csv = '\uFEFFemail,source_type,channel,title\r\na@x.io,net,chat,"two\r\nlines"\r\n\r\nb@x.io,net,chat,x\r\n';
    const parsed = parseCsv(KINDS.leads, csv);
    expect(parsed.ok && parsed.file.rows.map((r) => [r.row, r.line])).toEqual([
      [1, 2],
      [2, 5],
    ]);
  });

  it('converts cells before the schema sees them: empty is null, integers are strict, bare dates are UTC midnight', () => {
    expect(convertCell('int', '  ')).toEqual({ ok: true, value: null });
    expect(convertCell('int', '40')).toEqual({ ok: true, value: 40 });
    expect(convertCell('int', '4.5')).toEqual({ ok: false, message: 'a whole number, not "4.5"' });
    expect(convertCell('datetime', '2024-03-01')).toEqual({ ok: true, value: '2024-03-01T00:00:00Z' });
  });

  it('plans inserts with defaults, derived keys and a creation history entry dated at created_at', () => {
    const p = plan(
      'leads',
      'email,source_type,channel,employees,expected_arr,owner_email,created_at\n Ana@Acme.IO ,net,chat,,7000,OWNER@acme.test,2024-02-01\n',
    );
    expect(p.issues).toEqual([]);
    const [row] = p.planned;
    expect(row.action).toBe('insert');
    expect(row.values).toMatchObject({
      email: 'Ana@Acme.IO',
      expectedArr: '7000.00',
      segment: 'SMB',
      status: 'new',
      ownerId: OWNER,
      employees: null,
    });
    expect(row.hidden).toEqual({ email_normalized: 'ana@acme.io' });
    expect(row.history).toEqual([{ recordId: row.id, field: 'status', from: null, to: 'new', at: '2024-02-01T00:00:00Z' }]);
  });

  it('finds an update unchanged when only the spelling of a value differs from what is stored', () => {
    const existing = {
      id: '22222222-2222-4222-8222-222222222222',
      externalId: 'L-1',
      email: 'a@x.io',
      expectedArr: '100.00',
      country: 'US',
      status: 'working',
      segment: 'ESB',
      ownerId: null,
      createdAt: new Date('2024-01-01T00:00:00Z'),
    };
    const p = plan('leads', 'external_id,expected_arr,country,status\nL-1,100,us,working\n', lookups({ existing: [existing] }));
    expect(p.planned.map((r) => r.action)).toEqual(['unchanged']);
    const q = plan('leads', 'external_id,status,owner_email\nL-1,qualified,owner@acme.test\n', lookups({ existing: [existing] }));
    expect(q.planned[0].action).toBe('update');
    expect(q.planned[0].history.map((h) => `${h.field}:${h.from}->${h.to}`)).toEqual(['status:working->qualified', `owner:null->${OWNER}`]);
  });

  it('keeps a lead’s owner and source type when their cells are empty on an update (routing and channel rules set them)', () => {
    const existing = {
      id: '33333333-3333-4333-8333-333333333333',
      externalId: 'L-2',
      email: 'b@x.io',
      sourceType: 'net',
      channel: 'website',
      status: 'new',
      segment: 'SMB',
      ownerId: OWNER,
      createdAt: new Date('2024-01-01T00:00:00Z'),
    };
    const p = plan('leads', 'external_id,source_type,channel,owner_email\nL-2,,website,\n', lookups({ existing: [existing] }));
    expect(p.issues).toEqual([]);
    expect(p.planned.map((r) => [r.action, r.values.ownerId, r.values.sourceType])).toEqual([['unchanged', OWNER, 'net']]);
  });

  it('lists every problem of a row, including cells with NUL and rows with the wrong number of cells', () => {
    const p = plan('leads', 'email,source_type,channel,status,title\nx@y.io,net,pigeon,lost,a\u0000b\nshort,net\n');
    expect(p.invalidRows).toBe(2);
    expect(p.issues.map((i) => `${i.row}/${i.column}: ${i.message}`)).toEqual([
      '1/title: contains a NUL character',
      '1/channel: Invalid option: expected one of "website"|"signup"|"newsletter"|"chat"|"call"|"referral"|"outbound_email"|"linkedin"|"event"|"partner"',
      '1/status: one of new, working, qualified, handed_off, converted, disqualified',
      '2/(row): has 2 cells, the header has 5',
    ]);
  });

  it('caps the printed report and counts the rest', () => {
    const issues = Array.from({ length: 53 }, (_, i) => ({ row: i + 1, line: i + 2, column: 'email', message: 'Invalid email address' }));
    const lines = formatIssues(issues);
    expect(lines).toHaveLength(51);
    expect(lines[0]).toBe('  row 1 (line 2), email: Invalid email address');
    expect(lines[50]).toBe('  ... and 3 more problems');
  });
});
