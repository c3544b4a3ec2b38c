import { DateTime } from 'luxon';

/**
 * Aha milestones, pure: a rule over usage events, evaluated from scratch or incrementally.
 *
 * Events are taken in event-time order: (occurred_at, id). Every measure only grows as events are added, so
 * each condition is first met at one event, and the milestone at the latest of those: the crossing event.
 * Incremental evaluation keeps, per account, how far each condition got (capped at its target) and, for the
 * distinct measures still short of their target, the keys seen. New events later than everything evaluated
 * extend that state exactly as a scan from scratch would; anything else (an event earlier than the last one
 * evaluated, or earlier than the crossing) is answered by a rescan of the stored events: `step` says which.
 */

export const MEASURES = ['count', 'distinct_users', 'distinct_values', 'distinct_events'] as const;
export type Measure = (typeof MEASURES)[number];

export type Condition = {
  label: string;
  /** Event names that count; empty: any event. */
  event: string[];
  measure: Measure;
  /** The property whose distinct values count (distinct_values only). */
  property?: string;
  atLeast: number;
};
export type Rule = { all: Condition[] };

export const MILESTONE_STATUSES = ['pending', 'reached', 'missed'] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

/** Late events are awaited this long after a window ends before it is called missed. */
export const GRACE_HOURS = 48;
export const GRACE_MS = GRACE_HOURS * 3600_000;

/** A usage event as evaluation sees it; `at` is occurred_at in epoch milliseconds (stored to the millisecond). */
export type UsageEvent = { id: number; at: number; name: string; user: string | null; properties: Record<string, unknown> };
/** A place in event-time order. */
export type Point = { at: number; id: number };

export const comparePoints = (a: Point, b: Point) => a.at - b.at || a.id - b.id;
const after = (a: Point, b: Point) => comparePoints(a, b) > 0;

/**
 * The text a property value counts as, like PostgreSQL's `->>`: strings as they are, numbers and booleans
 * written out. Null, missing, objects and arrays do not count (their text would depend on key order).
 */
export function valueKey(v: unknown): string | null {
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** A condition ready to test events fast: the names as a set, and what an event contributes. */
type Compiled = { condition: Condition; names: Set<string> | null; key: (e: UsageEvent) => string | null };
/** `relevant`: the event's name is one some condition counts (the others can change nothing, not even order). */
export type CompiledRule = { rule: Rule; conditions: Compiled[]; relevant: (e: UsageEvent) => boolean };

const COUNTED = '';

export function compileRule(rule: Rule): CompiledRule {
  const conditions = rule.all.map((c): Compiled => {
    const key: Compiled['key'] =
      c.measure === 'count'
        ? () => COUNTED
        : c.measure === 'distinct_users'
          ? (e) => (e.user ? e.user : null)
          : c.measure === 'distinct_events'
            ? (e) => e.name
            : (e) => (Object.hasOwn(e.properties, c.property ?? '') ? valueKey(e.properties[c.property ?? '']) : null);
    return { condition: c, names: c.event.length ? new Set(c.event) : null, key };
  });
  const anyName = conditions.some((c) => c.names === null);
  const names = new Set(conditions.flatMap((c) => (c.names ? [...c.names] : [])));
  return { rule, conditions, relevant: anyName ? () => true : (e) => names.has(e.name) };
}

/**
 * How far each condition got, capped at its target (past the target nothing can change the outcome), and
 * for distinct measures below their target the keys seen so far (null for count, and once the target is met).
 */
export type Tally = { values: number[]; keys: (string[] | null)[] };

export const emptyTally = (rule: Rule): Tally => ({
  values: rule.all.map(() => 0),
  keys: rule.all.map((c) => (c.measure === 'count' ? null : [])),
});

/** A tally being filled: key sets as Sets. */
class Filling {
  readonly values: number[];
  readonly sets: (Set<string> | null)[];
  private short: number;
  constructor(
    private readonly compiled: CompiledRule,
    from: Tally,
  ) {
    this.values = [...from.values];
    this.sets = from.keys.map((k) => (k ? new Set(k) : null));
    this.short = compiled.conditions.filter((c, i) => this.values[i] < c.condition.atLeast).length;
  }
  get met() {
    return this.short === 0;
  }
  /** Counts one event; true when it changed anything. */
  add(e: UsageEvent): boolean {
    let changed = false;
    const cs = this.compiled.conditions;
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i];
      const target = c.condition.atLeast;
      if (this.values[i] >= target || (c.names && !c.names.has(e.name))) continue;
      const k = c.key(e);
      if (k === null) continue;
      const set = this.sets[i];
      if (set) {
        if (set.has(k)) continue;
        set.add(k);
      }
      changed = true;
      if (++this.values[i] >= target) {
        this.short--;
        // Met: the keys are no longer needed (the value stays at the target whatever comes).
        if (set) this.sets[i] = null;
      }
    }
    return changed;
  }
  tally(): Tally {
    return { values: [...this.values], keys: this.sets.map((s) => (s ? [...s] : null)) };
  }
}

/** Where evaluation stands for an account not (yet) past its milestone. */
export type Evaluation = { last: Point | null; tally: Tally };
export type Outcome = { crossing: Point | null; evaluation: Evaluation };

/**
 * Continues an evaluation with events already in event-time order and later than `from.last`: stops at the
 * crossing event (the state after it is not needed: every value is at its target). `last` is the last relevant event.
 */
export function advance(compiled: CompiledRule, from: Evaluation, sorted: UsageEvent[]): Outcome {
  const f = new Filling(compiled, from.tally);
  let last = from.last;
  for (const e of sorted) {
    if (!compiled.relevant(e)) continue;
    last = { at: e.at, id: e.id };
    f.add(e);
    if (f.met) return { crossing: last, evaluation: { last, tally: f.tally() } };
  }
  return { crossing: f.met ? last : null, evaluation: { last, tally: f.tally() } };
}

/** From scratch: the events of the window, in any order. */
export function evaluate(compiled: CompiledRule, events: UsageEvent[]): Outcome {
  const sorted = [...events].sort(comparePoints);
  const start: Evaluation = { last: null, tally: emptyTally(compiled.rule) };
  // A rule whose every condition is already met by nothing cannot exist (atLeast >= 1), so no crossing without events.
  return advance(compiled, start, sorted);
}

export type Window = { start: number; end: number };
/** Inside the window: start included, end excluded. */
export const inWindow = (w: Window, at: number) => at >= w.start && at < w.end;

/** An account's stored state for its milestone, as far as evaluation needs it. */
export type Standing = { crossing: Point | null; evaluation: Evaluation | null };

export type Step =
  | { kind: 'unchanged' }
  | { kind: 'advanced'; outcome: Outcome }
  /** The stored events decide: those of the window up to `upTo` (null: the whole window). */
  | { kind: 'rescan'; upTo: Point | null };

/**
 * What new events (any order, none seen before) do to an account's standing. Outside the window they do nothing.
 * - Reached: events after the crossing change nothing; an earlier one may move the crossing earlier: rescan up to it.
 * - Not reached, every new event later than the last one evaluated: continue the scan (what a scan from scratch does).
 * - Not reached, some event earlier: the capped tally does not depend on order, so add them; if that meets every
 *   condition, where it was first met is known only from the stored events: rescan.
 */
export function step(compiled: CompiledRule, window: Window, standing: Standing, events: UsageEvent[]): Step {
  const fresh = events.filter((e) => inWindow(window, e.at) && compiled.relevant(e)).sort(comparePoints);
  if (!fresh.length) return { kind: 'unchanged' };
  if (standing.crossing) {
    const c = standing.crossing;
    return after(fresh[0], c) ? { kind: 'unchanged' } : { kind: 'rescan', upTo: c };
  }
  const from = standing.evaluation ?? { last: null, tally: emptyTally(compiled.rule) };
  if (!from.last || after(fresh[0], from.last)) return { kind: 'advanced', outcome: advance(compiled, from, fresh) };
  const f = new Filling(compiled, from.tally);
  for (const e of fresh) f.add(e);
  if (f.met) return { kind: 'rescan', upTo: null };
  const newest = fresh.at(-1)!;
  const last = after(newest, from.last) ? { at: newest.at, id: newest.id } : from.last;
  return { kind: 'advanced', outcome: { crossing: null, evaluation: { last, tally: f.tally() } } };
}

export type ProgressItem = { label: string; value: number; target: number };

/** Per condition in rule order: how far it got, capped at the target (a reached milestone shows every target). */
export function progressOf(rule: Rule, outcome: Outcome | null): ProgressItem[] {
  return rule.all.map((c, i) => ({
    label: c.label,
    value: outcome?.crossing ? c.atLeast : Math.min(c.atLeast, outcome?.evaluation.tally.values[i] ?? 0),
    target: c.atLeast,
  }));
}

/** What is stored for an account's milestone. */
export type MilestoneState = {
  status: MilestoneStatus;
  reachedAt: number | null;
  crossingEventId: number | null;
  decidedAt: number | null;
};
export type StatusChange = { from: MilestoneStatus | null; to: MilestoneStatus; reachedAt: number | null; crossingEventId: number | null };

/**
 * The new state from an evaluation outcome, and the change to record (null when nothing changed).
 * Reached when some event crossed the line; otherwise missed once the window and its grace have passed, else pending.
 * decided_at is when Revline learned the outcome: set when the status becomes reached or missed, kept when only the
 * crossing moves earlier (the outcome was already known), cleared when the status goes back to pending.
 */
export function decide(
  prev: MilestoneState | null,
  crossing: Point | null,
  windowEnd: number,
  now: number,
): { state: MilestoneState; change: StatusChange | null } {
  const status: MilestoneStatus = crossing ? 'reached' : now >= windowEnd + GRACE_MS ? 'missed' : 'pending';
  const reachedAt = crossing?.at ?? null;
  const crossingEventId = crossing?.id ?? null;
  const sameStatus = prev?.status === status;
  const decidedAt = status === 'pending' ? null : sameStatus ? (prev?.decidedAt ?? now) : now;
  const state = { status, reachedAt, crossingEventId, decidedAt };
  const moved = !sameStatus || prev?.reachedAt !== reachedAt || prev?.crossingEventId !== crossingEventId;
  return { state, change: moved ? { from: prev?.status ?? null, to: status, reachedAt, crossingEventId } : null };
}

/**
 * When a window opens: the first won deal's close, or for a customer without one the first subscription's start
 * date at midnight in the workspace time zone. It lasts `days` calendar days in that zone (a DST change does not
 * move the end by an hour).
 */
export function windowOf(
  opening: { closedAt: Date | null; startDate: string | null },
  days: number,
  timezone: string,
): { start: Date; end: Date } {
  const start =
    opening.closedAt ??
    DateTime.fromISO(opening.startDate ?? '', { zone: timezone })
      .startOf('day')
      .toJSDate();
  return { start, end: windowEnd(start, days, timezone) };
}

export const windowEnd = (start: Date, days: number, timezone: string) =>
  DateTime.fromJSDate(start, { zone: timezone }).plus({ days }).toJSDate();
