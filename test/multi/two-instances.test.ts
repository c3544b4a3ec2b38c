import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { createApiKey, createUser } from '../../src/modules/org/org.service.js';
import { saveRules } from '../../src/modules/routing/routing.service.js';
import { getSettings } from '../../src/modules/routing/settings.repo.js';
import { openTestDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { killAllServerProcesses, type ServerProcess, startServerProcess } from '../support/process.js';
import { describeOnPostgres, mapConcurrent } from './support.js';

const TOTAL = 2000;
const BATCHES = 4;
const BATCH_SIZE = 100;
const CLIENTS = 50;

/** Lead i: 60% SMB (pool of 5), 20% MME (pool of 3), 10% ESB (no rule: fallback queue), 10% spears (a named queue). */
function leadFor(i: number) {
  const kind = i % 10;
  const employees = kind < 6 ? 50 : kind < 8 ? 2000 : kind === 8 ? 5 : 40;
  return {
    externalId: `multi-${i}`,
    email: `buyer${i}@company${i}.com`,
    company: `Company ${i}`,
    employees,
    channel: kind === 9 ? 'linkedin' : 'website',
  };
}

describeOnPostgres('two server processes taking leads on one PostgreSQL', () => {
  let handle: Awaited<ReturnType<typeof openTestDb>>;
  let db: Db;
  let org: Awaited<ReturnType<typeof seedOrg>>;
  let smb: string[];
  let mme: string[];
  let servers: ServerProcess[] = [];
  let apiKey: string;

  beforeAll(async () => {
    handle = await openTestDb('postgres');
    db = handle.db;
    org = await seedOrg(db);
    const mk = (name: string, segment: 'SMB' | 'MME') =>
      createUser(db, 'system', org.workspace.id, {
        email: `${name}@${org.workspace.slug}.test`,
        name,
        roles: ['sdr_inbound'],
        segments: [segment],
        capacity: 100_000,
      });
    smb = [];
    for (let i = 0; i < 5; i++) smb.push((await mk(`smb${i}`, 'SMB')).id);
    mme = [];
    for (let i = 0; i < 3; i++) mme.push((await mk(`mme${i}`, 'MME')).id);
    await getSettings(db, org.workspace.id);
    await saveRules(db, org.principals.ops, 'intake', [
      {
        name: 'Spears to review',
        enabled: true,
        conditions: { sourceTypes: ['spear'] },
        action: { type: 'queue', queue: 'outbound-review' },
      },
      {
        name: 'SMB',
        enabled: true,
        conditions: { segments: ['SMB'] },
        action: { type: 'pool', pool: { roles: ['sdr_inbound'], segment: 'SMB' } },
      },
      {
        name: 'MME',
        enabled: true,
        conditions: { segments: ['MME'] },
        action: { type: 'pool', pool: { roles: ['sdr_inbound'], segment: 'MME' } },
      },
    ]);
    apiKey = (await createApiKey(db, 'system', org.workspace.id, { name: 'multi', permissions: ['crm:read', 'crm:write'] })).key;
    servers = await Promise.all([startServerProcess({ databaseUrl: handle.url! }), startServerProcess({ databaseUrl: handle.url! })]);
  }, 90_000);

  afterAll(async () => {
    await killAllServerProcesses();
    await handle?.drop();
  });

  const post = async (server: ServerProcess, path: string, body: unknown) => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('assigns each of 2,000 concurrent leads exactly once, round-robin fair within one per pool', async () => {
    const all = Array.from({ length: TOTAL }, (_, i) => leadFor(i));
    const batched = all.slice(0, BATCHES * BATCH_SIZE);
    const singles = all.slice(BATCHES * BATCH_SIZE);
    // Batches and single posts run at the same time, alternating between the two servers.
    const [batchResults, singleResults] = await Promise.all([
      Promise.all(
        Array.from({ length: BATCHES }, (_, b) =>
          post(servers[b % 2], '/leads/batch', { leads: batched.slice(b * BATCH_SIZE, (b + 1) * BATCH_SIZE) }),
        ),
      ),
      mapConcurrent(singles, CLIENTS, (lead, i) => post(servers[i % 2], '/leads', lead)),
    ]);
    for (const r of batchResults) {
      expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(200);
      expect(r.body.counts).toEqual({ created: BATCH_SIZE });
    }
    const failed = singleResults.filter((r) => r.status !== 201);
    expect(failed.slice(0, 3), `${failed.length} single posts failed`).toEqual([]);

    // Every lead exists exactly once.
    const rows = await db.query<{ external_id: string; owner_id: string | null; queue: string | null; segment: string | null }>(
      'select external_id, owner_id, queue, segment from leads where workspace_id = $1',
      [org.workspace.id],
    );
    expect(rows).toHaveLength(TOTAL);
    expect(new Set(rows.map((r) => r.external_id))).toEqual(new Set(all.map((l) => l.externalId)));

    // Every lead has exactly one owner or one queue, and one intake decision.
    expect(rows.filter((r) => (r.owner_id === null) === (r.queue === null))).toEqual([]);
    const [decisions] = await db.query<{ leads: number; rows: number }>(
      `select count(distinct lead_id)::int as leads, count(*)::int as rows from lead_assignments where workspace_id = $1 and purpose = 'intake'`,
      [org.workspace.id],
    );
    expect(decisions).toEqual({ leads: TOTAL, rows: TOTAL });
    const bySegment = (seg: string) => rows.filter((r) => r.segment === seg);
    expect(bySegment('ESB').every((r) => r.queue === 'triage')).toBe(true);
    expect(rows.filter((r) => r.queue === 'outbound-review')).toHaveLength(TOTAL / 10);

    // Within each pool, equal-weight reps are within one lead of each other, and the counters are the truth.
    for (const [pool, members, expected] of [
      ['SMB', smb, (TOTAL * 6) / 10],
      ['MME', mme, (TOTAL * 2) / 10],
    ] as const) {
      const owned = bySegment(pool).filter((r) => r.owner_id);
      expect(owned).toHaveLength(expected);
      const counts = new Map<string, number>(members.map((id) => [id, 0]));
      for (const r of owned) {
        expect(members).toContain(r.owner_id);
        counts.set(r.owner_id!, counts.get(r.owner_id!)! + 1);
      }
      const values = [...counts.values()];
      expect(Math.max(...values) - Math.min(...values), `${pool}: ${values.join(', ')}`).toBeLessThanOrEqual(1);
      const counters = await db.query<{ user_id: string; assigned: number }>(
        `select user_id, assigned from routing_pool_counters where workspace_id = $1 and pool_key = $2`,
        [org.workspace.id, `sdr_inbound|${pool}|*`],
      );
      expect(new Map(counters.map((c) => [c.user_id, c.assigned]))).toEqual(counts);
    }
  }, 120_000);
});
