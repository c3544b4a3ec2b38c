import type { Db } from '../../src/db/client.js';
import { createWorkspace } from '../../src/modules/org/org.service.js';
import type { Rule } from '../../src/modules/success/milestones.core.js';
import { createMilestone } from '../../src/modules/success/milestones.service.js';
import { FEATURE_CATALOGUE, MILESTONE_TEMPLATES } from '../../src/modules/success/milestones.templates.js';
import { systemPrincipal } from '../../src/platform/auth/principal.js';
import { rng } from './intake-data.js';

const DAY = 86_400_000;
export const T_START = Date.parse('2026-01-01T00:00:00Z');
export const T_END = Date.parse('2026-06-30T00:00:00Z');

/** The bench's products: a plan, its milestone (the templates; Slack's count scaled to the bench's volume), its events. */
const template = (key: string) => MILESTONE_TEMPLATES.find((t) => t.key === key)!.rule;
/** `activity`: how busy an account of the product is (a chat team sends far more events than a file sync). */
export const PRODUCTS: { plan: string | null; name: string; rule: Rule; share: number; activity: number }[] = [
  { plan: null, name: 'Dropbox: device, file, user', rule: template('dropbox'), share: 0.4, activity: 1 },
  {
    plan: 'team',
    name: 'Slack: 200 messages',
    rule: { all: [{ label: 'Messages sent', event: ['message.sent'], measure: 'count', atLeast: 200 }] },
    share: 0.2,
    activity: 4,
  },
  { plan: 'suite', name: 'HubSpot: 5 of 25 features', rule: template('hubspot'), share: 0.2, activity: 1 },
  { plan: 'social', name: 'Twitter: follows 30', rule: template('twitter'), share: 0.2, activity: 1 },
];

export type BenchAccount = { id: string; key: string; product: number; closeAt: number; weight: number };

/**
 * A workspace with the four milestones, `customers` accounts with a deal won between January and mid-June (so by
 * the end some windows are over), and `prospects` accounts without a deal (their events are stored, never evaluated).
 */
export async function benchWorkspace(db: Db, label: string, customers: number, prospects: number, seed = 1) {
  const slug = `bench-events-${label}-${Date.now().toString(36)}`;
  const ws = await createWorkspace(db, { name: slug, slug, timezone: 'Europe/Paris', currency: 'EUR' });
  const system = systemPrincipal(ws.id);
  const created = new Date(T_START);
  for (const p of PRODUCTS) await createMilestone(db, system, { name: p.name, plan: p.plan, rule: p.rule, windowDays: 60 }, created);
  const r = rng(seed);
  const accounts: BenchAccount[] = [];
  const n = customers + prospects;
  for (let i = 0; i < n; i++) {
    const customer = i < customers;
    const u = r.next();
    const product = PRODUCTS.findIndex((_, k) => u < PRODUCTS.slice(0, k + 1).reduce((s, x) => s + x.share, 0));
    // Activity is skewed: a few heavy accounts, many light ones.
    const weight = Math.exp(r.next() * 3) * PRODUCTS[product].activity;
    const closeAt = customer ? T_START + 5 * DAY + Math.floor(r.next() * 165 * DAY) : Number.NaN;
    accounts.push({ id: '', key: `acc-${label}-${i}`, product, closeAt, weight });
  }
  const ids = await db.query<{ id: string }>(
    `insert into accounts (workspace_id, name, external_id) select $1, 'Account ' || k, k from unnest($2::text[]) k returning id`,
    [ws.id, accounts.map((a) => a.key)],
  );
  ids.forEach((row, i) => {
    accounts[i].id = row.id;
  });
  await addCustomers(db, ws.id, accounts.slice(0, customers));
  return { workspaceId: ws.id, system, accounts };
}

/** Won deals (and subscriptions with the product's plan) for these accounts. */
export async function addCustomers(db: Db, workspaceId: string, accounts: BenchAccount[]) {
  if (!accounts.length) return;
  const opps = await db.query<{ id: string }>(
    `insert into opportunities (workspace_id, name, account_id, stage, amount, closed_at)
     select $1, 'Deal', a, 'won', 12000, c from unnest($2::uuid[], $3::timestamptz[]) as x(a, c) returning id`,
    [workspaceId, accounts.map((a) => a.id), accounts.map((a) => new Date(a.closeAt).toISOString())],
  );
  await db.query(
    `insert into subscriptions (workspace_id, account_id, opportunity_id, plan, arr, start_date)
     select $1, a, o, p, 12000, (c at time zone 'UTC')::date from unnest($2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[]) as x(a, o, p, c)`,
    [
      workspaceId,
      accounts.map((a) => a.id),
      opps.map((o) => o.id),
      accounts.map((a) => PRODUCTS[a.product].plan),
      accounts.map((a) => new Date(a.closeAt).toISOString()),
    ],
  );
}

/**
 * The event stream, compact (typed arrays; objects are made per batch): who, what, when it happened and when it
 * arrives. 93% arrive within a minute, 5% hours to two days late, 2% up to ten days late; `dupShare` are sent
 * again a few minutes later (a retry); `unknownShare` name one of `unknownKeys` accounts Revline does not know.
 */
export type Stream = {
  n: number;
  account: Int32Array;
  kind: Uint8Array;
  value: Int32Array;
  user: Int16Array;
  at: Float64Array;
  arrival: Float64Array;
  /** Index of the original for a resend, -1 otherwise. */
  resendOf: Int32Array;
  order: Uint32Array;
};

export const GENERIC = ['login', 'page.viewed', 'settings.changed'];
export const KINDS = ['generic', 'device.linked', 'file.uploaded', 'message.sent', 'feature.used', 'follow'] as const;

export function makeStream(
  accounts: BenchAccount[],
  unknownKeys: number,
  total: number,
  dupShare: number,
  unknownShare: number,
  seed = 7,
): Stream {
  const r = rng(seed);
  const cumulative: number[] = [];
  let sum = 0;
  for (const a of accounts) {
    sum += a.weight;
    cumulative.push(sum);
  }
  const pickAccount = () => {
    const x = r.next() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const s: Stream = {
    n: total,
    account: new Int32Array(total),
    kind: new Uint8Array(total),
    value: new Int32Array(total),
    user: new Int16Array(total),
    at: new Float64Array(total),
    arrival: new Float64Array(total),
    resendOf: new Int32Array(total).fill(-1),
    order: new Uint32Array(total),
  };
  const originals = Math.round(total / (1 + dupShare));
  for (let i = 0; i < originals; i++) {
    const unknown = r.next() < unknownShare;
    const ai = unknown ? accounts.length + r.int(unknownKeys) : pickAccount();
    const a = accounts[ai];
    s.account[i] = ai;
    // Usage starts in a trial two weeks before the close (prospects and unknown keys: any time).
    const from = a && Number.isFinite(a.closeAt) ? Math.max(T_START, a.closeAt - 14 * DAY) : T_START;
    s.at[i] = Math.floor(from + r.next() * (T_END - from));
    const product = a ? a.product : 0;
    const u = r.next();
    let kind = 0;
    if (product === 0) kind = u < 0.1 ? 1 : u < 0.3 ? 2 : 0;
    else if (product === 1) kind = u < 0.7 ? 3 : 0;
    else if (product === 2) kind = u < 0.5 ? 4 : 0;
    else kind = u < 0.4 ? 5 : 0;
    s.kind[i] = kind;
    s.value[i] =
      kind === 4 ? Math.floor(FEATURE_CATALOGUE.length * r.next() ** 2) : kind === 5 ? r.int(200) : kind === 1 ? r.int(4) : r.int(3);
    s.user[i] = r.next() < 0.02 ? -1 : r.int(12);
    const late = r.next();
    const delay = late < 0.93 ? r.next() * 60_000 : late < 0.98 ? 3_600_000 + r.next() * 2 * DAY : r.next() * 10 * DAY;
    s.arrival[i] = s.at[i] + delay;
  }
  for (let i = originals; i < total; i++) {
    const o = r.int(originals);
    s.resendOf[i] = o;
    s.account[i] = s.account[o];
    s.kind[i] = s.kind[o];
    s.value[i] = s.value[o];
    s.user[i] = s.user[o];
    s.at[i] = s.at[o];
    s.arrival[i] = s.arrival[o] + 1000 + r.next() * 300_000;
  }
  const idx = Array.from({ length: total }, (_, i) => i).sort((a, b) => s.arrival[a] - s.arrival[b] || a - b);
  s.order.set(idx);
  return s;
}

/** The posted body of event `i` (a resend carries its original's message id). */
export function eventBody(s: Stream, i: number, keyOf: (accountIndex: number) => string) {
  const original = s.resendOf[i] >= 0 ? s.resendOf[i] : i;
  const kind = KINDS[s.kind[i]];
  const v = s.value[i];
  const properties =
    kind === 'device.linked'
      ? { device_id: `device-${v}` }
      : kind === 'feature.used'
        ? { feature: FEATURE_CATALOGUE[v] }
        : kind === 'follow'
          ? { followed_id: `person-${v}` }
          : kind === 'file.uploaded'
            ? { bytes: 1000 + v * 7919, type: 'pdf' }
            : { path: `/app/${v}` };
  return {
    messageId: `msg-${original}`,
    account: keyOf(s.account[i]),
    user: s.user[i] < 0 ? null : `user-${s.user[i]}`,
    event: kind === 'generic' ? GENERIC[v % GENERIC.length] : kind,
    properties,
    timestamp: new Date(s.at[i]).toISOString(),
  };
}
