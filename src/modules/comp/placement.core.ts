import { createHash } from 'node:crypto';
import type { EngineLine, LineKind } from './facts.js';
import { Decimal } from './rounding.js';

/**
 * Where the engine's lines are booked. Months up to the last closed one are locked: what the facts say now about a
 * closed month is compared, line key by line key, with what was booked for it, and only the difference is booked, in
 * the first open month. A fact learned late (a milestone reached after its month closed) is booked there as its own
 * kind; a changed amount becomes an adjustment of the difference; a line that no longer applies is reversed.
 * Open months simply take the engine's lines.
 */

/** What closed months hold for one person and line key: the sum booked, and one booked line to describe a reversal. */
export type Booked = {
  sum: string;
  sample: {
    kind: LineKind;
    month: string;
    component: string;
    rule: string;
    planKey: string | null;
    planVersion: number | null;
    opportunityId: string | null;
    accountId: string | null;
    leadId: string | null;
  };
};
export type BookedMap = Map<string, Booked>;
export const bookedKey = (userId: string, key: string) => `${userId}|${key}`;

export type PlacedLine = EngineLine & { period: string; eventPeriod: string | null };

export function placeLines(
  ideal: EngineLine[],
  booked: BookedMap,
  months: { firstOpen: string; last: string; firstOpenAt: Date },
  money: (v: Decimal.Value) => string,
): PlacedLine[] {
  const out: PlacedLine[] = [];
  const seen = new Set<string>();
  for (const line of ideal) {
    if (line.month > months.last) continue;
    const k = bookedKey(line.userId, line.key);
    seen.add(k);
    const before = booked.get(k);
    const period = line.month < months.firstOpen ? months.firstOpen : line.month;
    if (before) {
      const diff = new Decimal(line.amount).minus(before.sum);
      if (diff.isZero()) continue;
      out.push({
        ...line,
        period,
        eventPeriod: line.month,
        kind: 'adjustment',
        amount: diff.toFixed(2),
        inputs: { ...line.inputs, correction: { of: line.kind, booked: before.sum, now: line.amount } },
        arithmetic: `Correction of the ${line.kind} booked in closed months (${money(before.sum)}); it is now: ${line.arithmetic}. Difference ${money(line.amount)} - ${money(before.sum)} = ${money(diff)}`,
      });
      continue;
    }
    if (period === line.month) {
      // The common case, tens of thousands of times a run: the line is booked as computed. Its booking fields are set in
      // place (always to the same values for a line in an open month), so no copy is made.
      const placed = line as PlacedLine;
      placed.period = period;
      placed.eventPeriod = null;
      out.push(placed);
    } else
      out.push({
        ...line,
        period,
        eventPeriod: line.month,
        arithmetic: `${line.month} was closed when this was learned, so it is booked in ${period}. ${line.arithmetic}`,
      });
  }
  for (const [k, b] of booked) {
    if (seen.has(k) || new Decimal(b.sum).isZero()) continue;
    const [userId, key] = [k.slice(0, k.indexOf('|')), k.slice(k.indexOf('|') + 1)];
    const amount = new Decimal(b.sum).negated();
    out.push({
      userId,
      key,
      kind: 'adjustment',
      month: months.firstOpen,
      period: months.firstOpen,
      eventPeriod: b.sample.month,
      at: months.firstOpenAt,
      on: `${months.firstOpen}-01`,
      component: b.sample.component,
      rule: b.sample.rule,
      planKey: b.sample.planKey,
      planVersion: b.sample.planVersion,
      opportunityId: b.sample.opportunityId,
      accountId: b.sample.accountId,
      leadId: b.sample.leadId,
      amount: amount.toFixed(2),
      inputs: { correction: { of: b.sample.kind, booked: b.sum, now: '0.00' } },
      arithmetic: `Reversal: the ${b.sample.kind} booked in ${b.sample.month} (${money(b.sum)}) no longer applies to the facts = ${money(amount)}`,
    });
  }
  return out;
}

/** Lines per booking month, each month in ledger order (person, event time, key). */
export function byPeriod(lines: PlacedLine[]): Map<string, PlacedLine[]> {
  const out = new Map<string, PlacedLine[]>();
  for (const l of lines) {
    const list = out.get(l.period);
    if (list) list.push(l);
    else out.set(l.period, [l]);
  }
  for (const list of out.values()) list.sort(placedOrder);
  return out;
}

function placedOrder(a: PlacedLine, b: PlacedLine): number {
  if (a.userId !== b.userId) return a.userId < b.userId ? -1 : 1;
  const t = a.at.getTime() - b.at.getTime();
  if (t !== 0) return t;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * A line as it is sent to the database: the comp_ledger columns after workspace and run, under short keys (a year's
 * run sends tens of megabytes of these; ledger.repo.ts maps each key to its column).
 */
export type StoredLine = {
  p: string;
  ep: string | null;
  u: string;
  k: string;
  lk: string;
  c: string;
  r: string;
  pk: string | null;
  pv: number | null;
  o: string | null;
  a: string | null;
  l: string | null;
  amt: string;
  at: string;
  i: Record<string, unknown>;
  ar: string;
};

export function storedForm(l: PlacedLine): StoredLine {
  return {
    p: `${l.period}-01`,
    ep: l.eventPeriod ? `${l.eventPeriod}-01` : null,
    u: l.userId,
    k: l.kind,
    lk: l.key,
    c: l.component,
    r: l.rule,
    pk: l.planKey,
    pv: l.planVersion,
    o: l.opportunityId ?? null,
    a: l.accountId ?? null,
    l: l.leadId ?? null,
    amt: l.amount,
    at: l.at.toISOString(),
    i: l.inputs,
    ar: l.arithmetic,
  };
}

/**
 * A month's lines serialised once, as they are sent to the database, and the hash of that text: equal fingerprints,
 * identical lines (the engine builds every object with its keys in a fixed order).
 */
export function serialiseMonth(lines: PlacedLine[]): { json: string; fingerprint: string } {
  const json = JSON.stringify(lines.map(storedForm));
  return { json, fingerprint: createHash('sha256').update(json).digest('hex') };
}
