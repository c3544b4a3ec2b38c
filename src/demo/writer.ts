import type { Db } from '../db/client.js';

/**
 * Buffers the demo's rows column by column and writes them set-based: one
 * `insert ... select $1, ... from unnest($2::uuid[], $3::text[], ...)` per table and batch, inside the caller's
 * transaction. Row-by-row service calls would take minutes for 100k leads; this takes seconds, on PGlite too.
 * Times are given as epoch milliseconds and stored to the second (`ts` columns): formatting a million ISO strings
 * costs more than the database's to_timestamp.
 */

type Column = readonly [name: string, type: string];

// biome-ignore format: one table per entry, columns in insert order
const TABLES = {
  accounts: [['id', 'uuid'], ['name', 'text'], ['domain', 'text'], ['domain_normalized', 'text'], ['employees', 'int'], ['industry', 'text'],
    ['country', 'text'], ['segment', 'text'], ['owner_id', 'uuid'], ['csm_id', 'uuid'], ['created_at', 'ts'], ['updated_at', 'ts']],
  contacts: [['id', 'uuid'], ['account_id', 'uuid'], ['first_name', 'text'], ['last_name', 'text'], ['email', 'text'], ['email_normalized', 'text'],
    ['title', 'text'], ['phone', 'text'], ['owner_id', 'uuid'], ['created_at', 'ts'], ['updated_at', 'ts']],
  leads: [['id', 'uuid'], ['email', 'text'], ['email_normalized', 'text'], ['first_name', 'text'], ['last_name', 'text'], ['company', 'text'],
    ['domain', 'text'], ['title', 'text'], ['phone', 'text'], ['employees', 'int'], ['expected_arr', 'numeric'], ['country', 'text'],
    ['source_type', 'text'], ['channel', 'text'], ['status', 'text'], ['disqualify_reason', 'text'], ['segment', 'text'], ['owner_id', 'uuid'],
    ['account_id', 'uuid'], ['contact_id', 'uuid'], ['opportunity_id', 'uuid'], ['created_at', 'ts'], ['updated_at', 'ts']],
  opportunities: [['id', 'uuid'], ['name', 'text'], ['account_id', 'uuid'], ['contact_id', 'uuid'], ['lead_id', 'uuid'], ['stage', 'text'],
    ['lost_reason', 'text'], ['amount', 'numeric'], ['close_date', 'date'], ['owner_id', 'uuid'], ['sdr_id', 'uuid'], ['segment', 'text'],
    ['source_type', 'text'], ['closed_at', 'ts'], ['created_at', 'ts'], ['updated_at', 'ts']],
  subscriptions: [['id', 'uuid'], ['account_id', 'uuid'], ['opportunity_id', 'uuid'], ['plan', 'text'], ['arr', 'numeric'], ['start_date', 'date'],
    ['renewal_date', 'date'], ['status', 'text'], ['seats', 'int'], ['created_at', 'ts'], ['updated_at', 'ts']],
  arr_movements: [['subscription_id', 'uuid'], ['account_id', 'uuid'], ['kind', 'text'], ['amount', 'numeric'], ['occurred_at', 'ts'], ['actor_id', 'uuid']],
  status_changes: [['record_type', 'text'], ['record_id', 'uuid'], ['field', 'text'], ['from_value', 'text'], ['to_value', 'text'], ['reason', 'text'],
    ['actor_id', 'uuid'], ['changed_at', 'ts']],
  activities: [['id', 'uuid'], ['kind', 'text'], ['subject', 'text'], ['body', 'text'], ['record_type', 'text'], ['record_id', 'uuid'], ['actor_id', 'uuid'],
    ['occurred_at', 'ts'], ['done', 'boolean'], ['created_at', 'ts']],
  web_events: [['kind', 'text'], ['visitor_id', 'text'], ['rep_id', 'uuid'], ['lead_id', 'uuid'], ['channel', 'text'], ['page', 'text'], ['occurred_at', 'ts']],
  usage_events: [['message_id', 'text'], ['account_id', 'uuid'], ['account_key', 'text'], ['user_key', 'text'], ['name', 'text'], ['properties', 'jsonb'],
    ['occurred_at', 'ts'], ['received_at', 'ts']],
  buyer_surveys: [['id', 'uuid'], ['opportunity_id', 'uuid'], ['account_id', 'uuid'], ['rep_id', 'uuid'], ['contact_id', 'uuid'], ['buyer_email', 'text'],
    ['status', 'text'], ['send_at', 'ts'], ['sent_at', 'ts'], ['reminded_at', 'ts'], ['rating', 'int'], ['rated_at', 'ts'], ['comment', 'text'],
    ['created_at', 'ts'], ['updated_at', 'ts']],
} as const satisfies Record<string, readonly Column[]>;

export type TableName = keyof typeof TABLES;
/** Tables in foreign-key order: a row only points at rows of earlier tables (or of the same flush, for leads <-> opportunities). */
const ORDER: TableName[] = [
  'accounts',
  'contacts',
  'leads',
  'opportunities',
  'subscriptions',
  'arr_movements',
  'status_changes',
  'activities',
  'web_events',
  'usage_events',
  'buyer_surveys',
];

const namesOf = (cols: readonly Column[]) => cols.map(([name]) => name).join(', ');

/** `select $1, c0, to_timestamp(c1), ... from unnest($2::uuid[], $3::float8[], ...) as u(c0, c1, ...)` */
function selectFrom(cols: readonly Column[], firstParam: number) {
  const exprs = cols.map(([, type], i) => (type === 'ts' ? `to_timestamp(c${i})` : `c${i}`)).join(', ');
  const arrays = cols.map(([, type], i) => `$${firstParam + i}::${type === 'ts' ? 'float8' : type}[]`).join(', ');
  return `select $1, ${exprs} from unnest(${arrays}) as u(${cols.map((_, i) => `c${i}`).join(', ')})`;
}

const insertSql = (table: TableName) => `insert into ${table} (workspace_id, ${namesOf(TABLES[table])}) ${selectFrom(TABLES[table], 2)}`;

// Leads and opportunities point at each other; one statement inserts both, and foreign keys are checked at its end.
const LEADS_AND_OPPORTUNITIES = `with new_leads as (${insertSql('leads')})
  insert into opportunities (workspace_id, ${namesOf(TABLES.opportunities)}) ${selectFrom(TABLES.opportunities, 2 + TABLES.leads.length)}`;

const isTime = Object.fromEntries(Object.entries(TABLES).map(([t, cols]) => [t, cols.map(([, type]) => type === 'ts')])) as Record<
  TableName,
  boolean[]
>;

export class Writer {
  private readonly buffers = new Map<TableName, unknown[][]>();
  readonly written: Record<TableName, number>;

  constructor(
    private readonly tx: Db,
    private readonly workspaceId: string,
    /** Rows of the largest buffer that trigger a write. */
    private readonly batch = 4000,
  ) {
    this.written = Object.fromEntries(ORDER.map((t) => [t, 0])) as Record<TableName, number>;
    for (const t of ORDER)
      this.buffers.set(
        t,
        TABLES[t].map(() => []),
      );
  }

  /** Adds one row; values in the table's column order (see TABLES), times as epoch milliseconds. */
  add(table: TableName, ...values: unknown[]) {
    const cols = this.buffers.get(table)!;
    const time = isTime[table];
    for (let i = 0; i < cols.length; i++) {
      const v = values[i] ?? null;
      cols[i].push(time[i] && v !== null ? Math.round((v as number) / 1000) : v);
    }
  }

  pending(table: TableName) {
    return this.buffers.get(table)![0].length;
  }

  /** Writes everything buffered once any table holds a full batch. */
  async maybeFlush() {
    if (ORDER.some((t) => this.pending(t) >= this.batch)) await this.flush();
  }

  async flush() {
    for (const table of ORDER) {
      if (table === 'opportunities') continue;
      const cols = this.buffers.get(table)!;
      const n = cols[0].length;
      if (table === 'leads') {
        const opps = this.buffers.get('opportunities')!;
        if (!n && !opps[0].length) continue;
        await this.tx.query(LEADS_AND_OPPORTUNITIES, [this.workspaceId, ...cols, ...opps]);
        this.written.opportunities += opps[0].length;
        this.buffers.set(
          'opportunities',
          TABLES.opportunities.map(() => []),
        );
      } else if (n) {
        await this.tx.query(insertSql(table), [this.workspaceId, ...cols]);
      }
      this.written[table] += n;
      this.buffers.set(
        table,
        TABLES[table].map(() => []),
      );
    }
  }
}
