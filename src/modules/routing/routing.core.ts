/**
 * Lead routing, pure: ordered rules with conditions on the lead, and actions that say where it goes.
 * The first rule whose conditions all hold wins; the explanation lists every rule checked and why.
 */
export type LeadFacts = {
  segment: string | null;
  sourceType: string;
  channel: string;
  country: string | null;
  employees: number | null;
  /** The owner of the existing account this lead belongs to, when there is one. */
  existingAccount: { id: string; ownerId: string | null } | null;
};

export type Conditions = {
  segments?: string[];
  sourceTypes?: string[];
  channels?: string[];
  countries?: string[];
  employeesMin?: number;
  employeesMax?: number;
  existingAccount?: boolean;
};

export type PoolSpec = { roles: string[]; segment?: string | null; teamId?: string | null };

export type RuleAction =
  | { type: 'account_owner'; otherwise?: 'next_rule' }
  | { type: 'pool'; pool: PoolSpec }
  | { type: 'queue'; queue: string }
  | { type: 'user'; userId: string };

export type Rule = { id: string; name: string; enabled: boolean; conditions: Conditions; action: RuleAction };

export type CheckedRule = { ruleId: string; name: string; matched: boolean; reasons: string[] };
export type RoutingDecision =
  | { kind: 'user'; userId: string; ruleId: string; explanation: CheckedRule[] }
  | { kind: 'pool'; pool: PoolSpec; ruleId: string; explanation: CheckedRule[] }
  | { kind: 'queue'; queue: string; ruleId: string | null; explanation: CheckedRule[] };

const inList = (label: string, value: string | null, allowed?: string[]) => {
  if (!allowed?.length) return null;
  const ok = value != null && allowed.includes(value);
  return { ok, reason: `${label} ${value ?? '(none)'} ${ok ? 'is' : 'is not'} in ${allowed.join(', ')}` };
};

/** Every condition of a rule, each with a sentence saying whether it held. */
export function checkConditions(c: Conditions, lead: LeadFacts): { matched: boolean; reasons: string[] } {
  const checks = [
    inList('segment', lead.segment, c.segments),
    inList('source type', lead.sourceType, c.sourceTypes),
    inList('channel', lead.channel, c.channels),
    inList('country', lead.country, c.countries),
  ].filter((x): x is { ok: boolean; reason: string } => x !== null);
  if (c.employeesMin != null) {
    const ok = lead.employees != null && lead.employees >= c.employeesMin;
    checks.push({ ok, reason: `employees ${lead.employees ?? '(unknown)'} ${ok ? '>=' : 'not >='} ${c.employeesMin}` });
  }
  if (c.employeesMax != null) {
    const ok = lead.employees != null && lead.employees <= c.employeesMax;
    checks.push({ ok, reason: `employees ${lead.employees ?? '(unknown)'} ${ok ? '<=' : 'not <='} ${c.employeesMax}` });
  }
  if (c.existingAccount != null) {
    const has = lead.existingAccount != null;
    checks.push({ ok: has === c.existingAccount, reason: has ? 'the lead belongs to an existing account' : 'no existing account' });
  }
  if (!checks.length) return { matched: true, reasons: ['no conditions: matches every lead'] };
  return { matched: checks.every((x) => x.ok), reasons: checks.map((x) => x.reason) };
}

/** Decides where a lead goes. `fallbackQueue` catches whatever no rule takes. */
export function route(lead: LeadFacts, rules: Rule[], fallbackQueue: string): RoutingDecision {
  const explanation: CheckedRule[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const { matched, reasons } = checkConditions(rule.conditions, lead);
    const checked: CheckedRule = { ruleId: rule.id, name: rule.name, matched, reasons: [...reasons] };
    explanation.push(checked);
    if (!matched) continue;
    const a = rule.action;
    if (a.type === 'account_owner') {
      if (lead.existingAccount?.ownerId) return { kind: 'user', userId: lead.existingAccount.ownerId, ruleId: rule.id, explanation };
      checked.matched = false;
      checked.reasons.push('but the lead has no existing account with an owner, so the next rule is tried');
      continue;
    }
    if (a.type === 'user') return { kind: 'user', userId: a.userId, ruleId: rule.id, explanation };
    if (a.type === 'pool') return { kind: 'pool', pool: a.pool, ruleId: rule.id, explanation };
    return { kind: 'queue', queue: a.queue, ruleId: rule.id, explanation };
  }
  return { kind: 'queue', queue: fallbackQueue, ruleId: null, explanation };
}

/**
 * `route` for many leads with the same rules: leads that agree on every fact the rules look at get the same
 * decision object (and explanation), computed once. A batch has a few dozen distinct routes for thousands of
 * leads; callers must not change the decisions they get.
 */
export function cachedRouter(rules: Rule[], fallbackQueue: string): (lead: LeadFacts) => RoutingDecision {
  const enabled = rules.filter((r) => r.enabled);
  const uses = (test: (r: Rule) => unknown) => enabled.some(test);
  const read: ((l: LeadFacts) => unknown)[] = [];
  if (uses((r) => r.conditions.segments?.length)) read.push((l) => l.segment);
  if (uses((r) => r.conditions.sourceTypes?.length)) read.push((l) => l.sourceType);
  if (uses((r) => r.conditions.channels?.length)) read.push((l) => l.channel);
  if (uses((r) => r.conditions.countries?.length)) read.push((l) => l.country);
  if (uses((r) => r.conditions.employeesMin != null || r.conditions.employeesMax != null)) read.push((l) => l.employees);
  if (uses((r) => r.conditions.existingAccount != null)) read.push((l) => l.existingAccount != null);
  if (uses((r) => r.action.type === 'account_owner')) read.push((l) => l.existingAccount?.ownerId ?? null);
  const cache = new Map<string, RoutingDecision>();
  return (lead) => {
    // Typed and separated, so no two different sets of facts share a key (facts are short strings, numbers, booleans).
    let key = '';
    for (const f of read) {
      const v = f(lead);
      key += `${v == null ? '-' : `${typeof v}:${v}`}\u0000`;
    }
    let decision = cache.get(key);
    if (!decision) {
      decision = route(lead, rules, fallbackQueue);
      cache.set(key, decision);
    }
    return decision;
  };
}

export type PoolMember = {
  id: string;
  /** Weight of the rep in the pool and the most open leads they can hold. */
  capacity: number;
  openLoad: number;
  outOfOfficeUntil: Date | null;
  /** Leads this pool already gave the rep (the round-robin counter). */
  assigned: number;
};

export type PickResult =
  | { ok: true; userId: string; skipped: { id: string; why: string }[] }
  | { ok: false; skipped: { id: string; why: string }[] };

/**
 * Weighted round-robin: the eligible rep furthest behind their share (assigned / capacity) gets the lead;
 * ties go to the fewer-assigned, then the smaller id, so equal-weight reps never differ by more than one.
 * Reps out of office or at capacity are skipped, with the reason.
 */
export function pickFromPool(members: PoolMember[], now: Date): PickResult {
  const skipped: { id: string; why: string }[] = [];
  const eligible = members.filter((m) => {
    if (m.outOfOfficeUntil && m.outOfOfficeUntil > now) skipped.push({ id: m.id, why: 'out of office' });
    else if (m.capacity <= 0) skipped.push({ id: m.id, why: 'no capacity' });
    else if (m.openLoad >= m.capacity) skipped.push({ id: m.id, why: `at capacity (${m.openLoad}/${m.capacity})` });
    else return true;
    return false;
  });
  if (!eligible.length) return { ok: false, skipped };
  const ahead = (a: PoolMember, b: PoolMember) =>
    (a.assigned * b.capacity - b.assigned * a.capacity || a.assigned - b.assigned || (a.id < b.id ? -1 : 1)) < 0;
  let next = eligible[0];
  for (const m of eligible) if (ahead(m, next)) next = m;
  return { ok: true, userId: next.id, skipped };
}
