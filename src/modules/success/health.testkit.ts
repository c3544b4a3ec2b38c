import { randomBytes } from 'node:crypto';
import { PASSWORD, principalFor, seedOrg } from '../../../test/support/fixtures.js';
import type { Db } from '../../db/client.js';
import { createAccount, createOpportunity, createSubscription } from '../crm/deals.service.js';
import { createUser } from '../org/org.service.js';

/**
 * Test data for the health, signals and renewals suites: seedOrg's people plus a CSM in each team (csmA in team A,
 * managed by managerA; csmB in team B), and helpers writing the other helpers' tables (usage events, milestones,
 * buyer surveys) directly, as fixtures.
 */
export async function seedSuccessOrg(db: Db) {
  const org = await seedOrg(db);
  const domain = org.users.admin.email.split('@')[1];
  const mk = (key: string, teamId: string) =>
    createUser(db, 'system', org.workspace.id, { email: `${key}@${domain}`, name: key, roles: ['csm'], password: PASSWORD, teamId });
  const csmA = await mk('csmA', org.teams.teamA.id);
  const csmB = await mk('csmB', org.teams.teamB.id);
  // The managers' principals were built before their CSMs joined: sign them in again.
  const principals = {
    ...org.principals,
    managerA: await principalFor(db, org.users.managerA.email),
    managerB: await principalFor(db, org.users.managerB.email),
  };
  return {
    ...org,
    principals,
    csms: { csmA, csmB },
    csmPrincipals: { csmA: await principalFor(db, csmA.email), csmB: await principalFor(db, csmB.email) },
  };
}
export type SuccessOrg = Awaited<ReturnType<typeof seedSuccessOrg>>;

/** A customer: an account with one subscription (live unless told otherwise), seats set directly (no API field). */
export async function customer(
  db: Db,
  org: SuccessOrg,
  o: {
    name: string;
    csmId?: string | null;
    ownerId?: string | null;
    arr?: string;
    seats?: number | null;
    startDate?: string;
    renewalDate?: string | null;
    status?: string;
    plan?: string;
  },
) {
  const account = await createAccount(db, org.system, { name: o.name, csmId: o.csmId ?? null, ownerId: o.ownerId ?? null });
  const subscription = await createSubscription(db, org.system, {
    accountId: account.id,
    arr: o.arr ?? '12000.00',
    startDate: o.startDate ?? '2024-01-01',
    renewalDate: o.renewalDate ?? null,
    status: o.status ?? 'active',
    plan: o.plan ?? 'Pro',
  });
  if (o.seats != null) await db.query('update subscriptions set seats = $2 where id = $1', [subscription.id, o.seats]);
  return { account, subscription };
}

export type EventSpec = { at: Date; name?: string; userKey?: string | null; properties?: Record<string, unknown> };

/** Usage events of an account, inserted as the ingestion would store them (unique message ids). */
export async function addEvents(db: Db, workspaceId: string, accountId: string, events: EventSpec[]) {
  if (!events.length) return;
  await db.query(
    `insert into usage_events (workspace_id, message_id, account_id, account_key, user_key, name, properties, occurred_at)
     select $1, x.message_id, $2, $8, x.user_key, x.name, x.properties::jsonb, x.occurred_at
       from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[]) as x(message_id, user_key, name, properties, occurred_at)`,
    [
      workspaceId,
      accountId,
      events.map(() => randomBytes(8).toString('hex')),
      events.map((e) => (e.userKey === undefined ? 'u1' : e.userKey)),
      events.map((e) => e.name ?? 'file.uploaded'),
      events.map((e) => JSON.stringify(e.properties ?? {})),
      events.map((e) => e.at),
      accountId,
    ],
  );
}

/** n events spread one minute apart, ending at `end`, cycling over `users` user keys. */
export const spread = (n: number, end: Date, users = 1, extra: Partial<EventSpec> = {}): EventSpec[] =>
  Array.from({ length: n }, (_, i) => ({ at: new Date(end.getTime() - i * 60_000), userKey: `u${i % users}`, ...extra }));

export const daysBefore = (at: Date, days: number) => new Date(at.getTime() - days * 86_400_000);

/** A milestone of the account, in the shape the milestones helper writes. */
export async function addMilestone(
  db: Db,
  workspaceId: string,
  accountId: string,
  m: {
    status: 'pending' | 'reached' | 'missed';
    windowStart: Date;
    windowEnd: Date;
    progress?: { label: string; value: number; target: number }[];
    reachedAt?: Date | null;
    decidedAt?: Date | null;
    name?: string;
  },
) {
  const [ms] = await db.query<{ id: string }>(
    `insert into milestones (workspace_id, name, plan, rule) values ($1, $2, $3, '{"all": []}') returning id`,
    [workspaceId, m.name ?? `Aha ${randomBytes(3).toString('hex')}`, `plan-${randomBytes(3).toString('hex')}`],
  );
  await db.query(
    `insert into account_milestones (workspace_id, account_id, milestone_id, window_start, window_end, status, reached_at, progress, decided_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      workspaceId,
      accountId,
      ms.id,
      m.windowStart,
      m.windowEnd,
      m.status,
      m.reachedAt ?? null,
      JSON.stringify(m.progress ?? []),
      m.decidedAt ?? null,
    ],
  );
  return ms.id;
}

/** A won deal of the account rated by its buyer. */
export async function addRating(db: Db, org: SuccessOrg, accountId: string, rating: number, ratedAt: Date) {
  const opp = await createOpportunity(db, org.system, { name: `Deal ${randomBytes(3).toString('hex')}`, accountId, amount: '1000' });
  await db.query(
    `insert into buyer_surveys (workspace_id, opportunity_id, account_id, status, send_at, rating, rated_at)
     values ($1, $2, $3, 'rated', $4, $5, $4)`,
    [org.workspace.id, opp.id, accountId, ratedAt, rating],
  );
}

export async function healthRows(db: Db, workspaceId: string) {
  return db.query<{ accountId: string; day: string; score: number; band: string; factors: { factor: string; score: number | null }[] }>(
    `select account_id as "accountId", day, score, band, factors from account_health where workspace_id = $1 order by day, account_id`,
    [workspaceId],
  );
}
