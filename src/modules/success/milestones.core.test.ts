import { describe, expect, it } from 'vitest';
import {
  compileRule,
  decide,
  evaluate,
  GRACE_MS,
  inWindow,
  type MilestoneState,
  type Outcome,
  type Point,
  progressOf,
  type Rule,
  type Standing,
  step,
  type UsageEvent,
  valueKey,
  type Window,
} from './milestones.core.js';
import { MILESTONE_TEMPLATES } from './milestones.templates.js';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const WINDOW: Window = { start: T0, end: T0 + 60 * DAY };
const template = (key: string) => MILESTONE_TEMPLATES.find((t) => t.key === key)!.rule;

/** An event as a sender posts it: a message id, and its time in hours after the window opens. */
type Sent = { messageId: string; h: number; name: string; user?: string | null; properties?: Record<string, unknown> };
const ev = (messageId: string, h: number, name: string, user: string | null = 'u1', properties: Record<string, unknown> = {}): Sent => ({
  messageId,
  h,
  name,
  user,
  properties,
});

/**
 * Ingestion in miniature, as the service does it: a replayed message id is a duplicate (no new row); new rows get
 * increasing ids in arrival order; each batch goes through `step`, and a rescan reads the stored events.
 */
function ingest(rule: Rule, batches: Sent[][], window = WINDOW) {
  const compiled = compileRule(rule);
  const stored: (UsageEvent & { messageId: string })[] = [];
  const seen = new Set<string>();
  let standing: Standing = { crossing: null, evaluation: null };
  let duplicates = 0;
  for (const batch of batches) {
    const fresh: UsageEvent[] = [];
    for (const s of batch) {
      if (seen.has(s.messageId)) {
        duplicates++;
        continue;
      }
      seen.add(s.messageId);
      const e = { id: stored.length + 1, at: T0 + s.h * HOUR, name: s.name, user: s.user ?? null, properties: s.properties ?? {} };
      stored.push({ ...e, messageId: s.messageId });
      fresh.push(e);
    }
    const r = step(compiled, window, standing, fresh);
    if (r.kind === 'unchanged') continue;
    let outcome: Outcome;
    if (r.kind === 'advanced') outcome = r.outcome;
    else {
      const upTo = r.upTo;
      const inScope = stored.filter((e) => inWindow(window, e.at) && (!upTo || e.at < upTo.at || (e.at === upTo.at && e.id <= upTo.id)));
      outcome = evaluate(compiled, inScope);
    }
    standing = { crossing: outcome.crossing, evaluation: outcome.crossing ? null : outcome.evaluation };
  }
  const scratch = evaluate(
    compiled,
    stored.filter((e) => inWindow(window, e.at)),
  );
  const kept: Outcome | null = standing.evaluation ? { crossing: standing.crossing, evaluation: standing.evaluation } : null;
  return { standing, scratch, stored, duplicates, progress: standing.crossing ? progressOf(rule, scratch) : progressOf(rule, kept) };
}

const messageAt = (r: ReturnType<typeof ingest>, p: Point | null) => (p ? r.stored.find((e) => e.id === p.id)!.messageId : null);

/** Deterministic shuffles (mulberry32) for "any arrival order". */
function shuffled<T>(xs: T[], seed: number): T[] {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
const chunks = <T>(xs: T[], size: number) =>
  Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, i * size + size));

/** Every arrival order and batching tried must land where a recomputation lands, and at the expected event. */
function expectSameEverywhere(rule: Rule, events: Sent[], expected: string | null) {
  for (let seed = 0; seed < 40; seed++) {
    const order = seed === 0 ? events : shuffled(events, seed);
    // Replays: some events sent twice, in a later batch.
    const withReplays = seed % 3 === 0 ? [...order, ...order.filter((_, i) => i % 4 === 0)] : order;
    const r = ingest(rule, chunks(withReplays, 1 + (seed % 5)));
    expect(r.standing.crossing, `seed ${seed}`).toEqual(r.scratch.crossing);
    expect(messageAt(r, r.standing.crossing), `seed ${seed}`).toBe(expected);
    expect(r.progress).toEqual(progressOf(rule, r.scratch));
  }
}

describe('Dropbox template: a device, a file, a user', () => {
  const rule = template('dropbox');
  const events = [
    ev('signup', 1, 'user.signed_up', 'ann'),
    ev('file-1', 5, 'file.uploaded', 'ann'),
    ev('dev-no-id', 6, 'device.linked', 'ann', {}),
    ev('dev-1', 9, 'device.linked', 'ann', { device_id: 'laptop' }),
    ev('file-2', 12, 'file.uploaded', 'bob'),
  ];

  it('is reached by the event completing the last condition, in any arrival order with replays', () => {
    // A device.linked without device_id counts for nothing: the device at hour 9 is the crossing.
    expectSameEverywhere(rule, events, 'dev-1');
  });

  it('shows progress per condition while pending, and nothing counts outside the window', () => {
    const r = ingest(rule, [[ev('before', -1, 'device.linked', 'ann', { device_id: 'x' }), ev('f', 3, 'file.uploaded', null)]]);
    expect(r.standing.crossing).toBeNull();
    expect(r.progress).toEqual([
      { label: 'Devices linked', value: 0, target: 1 },
      { label: 'Files uploaded', value: 1, target: 1 },
      // The upload came without a user: no active user yet.
      { label: 'Active users', value: 0, target: 1 },
    ]);
  });
});

describe('Slack template: 2,000 messages across the team', () => {
  const rule = template('slack');
  const messages = Array.from({ length: 2100 }, (_, i) => ev(`m${i}`, i * 0.25, 'message.sent', `u${i % 7}`));

  it('crosses at the 2,000th message in event time, whatever the arrival order', () => {
    for (const seed of [0, 1, 2, 3]) {
      const order = seed ? shuffled(messages, seed) : messages;
      const r = ingest(rule, chunks([...order, ...order.slice(0, 300)], 250));
      expect(r.duplicates).toBe(300);
      expect(messageAt(r, r.standing.crossing)).toBe('m1999');
      expect(r.standing.crossing).toEqual(r.scratch.crossing);
    }
  });

  it('counts replays once: 1,999 distinct messages sent twice do not reach it', () => {
    const some = messages.slice(0, 1999);
    const r = ingest(rule, [some, some]);
    expect(r.standing.crossing).toBeNull();
    expect(r.progress).toEqual([{ label: 'Messages sent', value: 1999, target: 2000 }]);
  });

  it('a late message earlier than the crossing moves reached_at earlier', () => {
    const r1 = ingest(rule, [messages.slice(1, 2001)]);
    expect(messageAt(r1, r1.standing.crossing)).toBe('m2000');
    const r2 = ingest(rule, [messages.slice(1, 2001), [messages[0]]]);
    expect(messageAt(r2, r2.standing.crossing)).toBe('m1999');
    expect(r2.standing.crossing!.at).toBeLessThan(r1.standing.crossing!.at);
  });
});

describe('HubSpot template: 5 distinct features of 25', () => {
  const rule = template('hubspot');
  const f = (id: string, h: number, feature: unknown) => ev(id, h, 'feature.used', 'ann', { feature });
  const events = [
    f('a', 1, 'deals'),
    f('b', 2, 'deals'),
    f('c', 3, 'contacts'),
    f('d', 4, 'tasks'),
    f('e', 5, 'contacts'),
    f('g', 6, { nested: true }),
    f('h', 7, 'reports'),
    f('i', 8, null),
    f('j', 9, 'workflows'),
    f('k', 10, 'sequences'),
  ];

  it('counts distinct values only (repeats, null and objects do not count), in any arrival order', () => {
    expectSameEverywhere(rule, events, 'j');
  });

  it('compares values as text, like PostgreSQL ->>', () => {
    expect([valueKey('7'), valueKey(7), valueKey(true), valueKey(''), valueKey(null), valueKey([1])]).toEqual([
      '7',
      '7',
      'true',
      null,
      null,
      null,
    ]);
  });
});

describe('Twitter template: follows 30 people', () => {
  const rule = template('twitter');
  const follows = Array.from({ length: 40 }, (_, i) => ev(`f${i}`, i, 'follow', 'ann', { followed_id: `p${i % 32}` }));

  it('crosses at the 30th distinct person, re-follows not counted', () => {
    expectSameEverywhere(rule, follows, 'f29');
  });

  it('ties in event time are broken by arrival (the stored id)', () => {
    const same = Array.from({ length: 30 }, (_, i) => ev(`t${i}`, 5, 'follow', 'ann', { followed_id: `p${i}` }));
    const r = ingest(rule, [same.slice(10), same.slice(0, 10)]);
    // t10..t29 arrive first (ids 1..20), t0..t9 last (ids 21..30): the last stored is the 30th in event-time order.
    expect(messageAt(r, r.standing.crossing)).toBe('t9');
    expect(r.standing.crossing).toEqual(r.scratch.crossing);
  });
});

describe('several conditions and any-event conditions', () => {
  const rule: Rule = {
    all: [
      { label: 'Two uploads', event: ['file.uploaded'], measure: 'count', atLeast: 2 },
      { label: 'Three people', event: [], measure: 'distinct_users', atLeast: 3 },
      { label: 'Two kinds of event', event: ['file.uploaded', 'comment.added', 'share'], measure: 'distinct_events', atLeast: 2 },
    ],
  };

  it('crosses at the latest of the moments each condition is met, in any order', () => {
    const events = [
      ev('a', 1, 'file.uploaded', 'ann'),
      ev('b', 2, 'login', 'bob'),
      ev('c', 3, 'comment.added', 'ann'),
      ev('d', 4, 'file.uploaded', 'ann'),
      ev('e', 5, 'login', 'bob'),
      ev('f', 6, 'login', 'cy'),
      ev('g', 7, 'share', 'dee'),
    ];
    expectSameEverywhere(rule, events, 'f');
  });

  it('a late event can complete a condition so that an earlier stored event becomes the crossing', () => {
    const r = ingest(rule, [
      [ev('u1', 1, 'file.uploaded', 'ann'), ev('l2', 2, 'login', 'bob'), ev('l3', 30, 'login', 'cy')],
      // Arrives last, happened at hour 20: the uploads are complete at 20, the third person only at 30.
      [ev('late', 20, 'comment.added', 'ann'), ev('u2', 10, 'file.uploaded', 'ann')],
    ]);
    expect(messageAt(r, r.standing.crossing)).toBe('l3');
    expect(r.standing.crossing).toEqual(r.scratch.crossing);
  });
});

describe('decide: status, decided_at and the change to record', () => {
  const end = WINDOW.end;
  const pending: MilestoneState = { status: 'pending', reachedAt: null, crossingEventId: null, decidedAt: null };
  const now = end - DAY;

  it('opens pending, reaches with the crossing event, and records each change once', () => {
    expect(decide(null, null, end, now)).toEqual({
      state: pending,
      change: { from: null, to: 'pending', reachedAt: null, crossingEventId: null },
    });
    const reached = decide(pending, { at: T0 + HOUR, id: 7 }, end, now);
    expect(reached).toEqual({
      state: { status: 'reached', reachedAt: T0 + HOUR, crossingEventId: 7, decidedAt: now },
      change: { from: 'pending', to: 'reached', reachedAt: T0 + HOUR, crossingEventId: 7 },
    });
    expect(decide(reached.state, { at: T0 + HOUR, id: 7 }, end, now + DAY).change).toBeNull();
  });

  it('an earlier crossing keeps decided_at (the outcome was already known) and records the move', () => {
    const reached: MilestoneState = { status: 'reached', reachedAt: T0 + 5 * HOUR, crossingEventId: 9, decidedAt: now - DAY };
    expect(decide(reached, { at: T0 + HOUR, id: 12 }, end, now)).toEqual({
      state: { status: 'reached', reachedAt: T0 + HOUR, crossingEventId: 12, decidedAt: now - DAY },
      change: { from: 'reached', to: 'reached', reachedAt: T0 + HOUR, crossingEventId: 12 },
    });
  });

  it('misses only after the window and its grace; a late crossing turns missed into reached', () => {
    expect(decide(pending, null, end, end + GRACE_MS - 1).state.status).toBe('pending');
    const missed = decide(pending, null, end, end + GRACE_MS);
    expect(missed.state).toEqual({ status: 'missed', reachedAt: null, crossingEventId: null, decidedAt: end + GRACE_MS });
    const later = end + 10 * DAY;
    expect(decide(missed.state, { at: end - HOUR, id: 40 }, end, later)).toEqual({
      state: { status: 'reached', reachedAt: end - HOUR, crossingEventId: 40, decidedAt: later },
      change: { from: 'missed', to: 'reached', reachedAt: end - HOUR, crossingEventId: 40 },
    });
  });
});

describe('the window', () => {
  it('counts the start and excludes the end', () => {
    const rule = template('slack');
    const oneMore = { all: [{ ...rule.all[0], atLeast: 2 }] };
    const r = ingest(oneMore, [
      [ev('start', 0, 'message.sent'), ev('end', 60 * 24, 'message.sent'), ev('in', 60 * 24 - 0.001, 'message.sent')],
    ]);
    expect(messageAt(r, r.standing.crossing)).toBe('in');
  });
});
