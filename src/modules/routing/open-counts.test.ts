import { expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { seedOrg } from '../../../test/support/fixtures.js';
import type { Db } from '../../db/client.js';
import { changeLeadStatus } from '../crm/leads.service.js';
import { createUser } from '../org/org.service.js';
import { intakeLeads } from './intake.service.js';
import { FOLD_OPEN_COUNTS_AT, foldOpenCounts } from './pools.repo.js';
import { saveRules } from './routing.service.js';

const now = new Date('2026-11-24T10:00:00Z');
const lead = (i: number, over: Record<string, unknown> = {}) =>
  ({ email: `p${i}@co${i}.com`, employees: 30, channel: 'website', ...over }) as never;

/** Reps' open leads (new, working, qualified) as kept in lead_open_counts, and as counted from the leads. */
const kept = (db: Db, ws: string) =>
  db.query(
    `select user_id as "userId", sum(n)::int as n from lead_open_counts where workspace_id = $1
      group by user_id having sum(n) <> 0 order by user_id`,
    [ws],
  );
const counted = (db: Db, ws: string) =>
  db.query(
    `select owner_id as "userId", count(*)::int as n from leads
      where workspace_id = $1 and owner_id is not null and status in ('new', 'working', 'qualified')
      group by owner_id order by owner_id`,
    [ws],
  );

describeEachDb('open-lead counts (capacity)', (getDb) => {
  async function setup(capacity = 100) {
    const db = getDb();
    const org = await seedOrg(db);
    const mk = (name: string) =>
      createUser(db, 'system', org.workspace.id, {
        email: `${name}@${org.workspace.slug}.test`,
        name,
        roles: ['sdr_inbound'],
        segments: ['SMB'],
        capacity,
      });
    const reps = [await mk('r1'), await mk('r2')];
    await saveRules(db, org.principals.ops, 'intake', [
      {
        name: 'SMB',
        enabled: true,
        conditions: { segments: ['SMB'] },
        action: { type: 'pool', pool: { roles: ['sdr_inbound'], segment: 'SMB' } },
      },
    ]);
    return { db, org, reps, ws: org.workspace.id };
  }

  it('follow every write to leads: intake, status and owner changes, deletes, a rep or workspace deleted', async () => {
    const { db, org, reps, ws } = await setup();
    const out = await intakeLeads(
      db,
      org.principals.ops,
      Array.from({ length: 9 }, (_, i) => lead(i)),
      now,
    );
    await intakeLeads(db, org.principals.ops, [lead(100, { ownerId: org.users.sdrA.id })], now);
    expect(await kept(db, ws)).toEqual(await counted(db, ws));
    expect((await counted(db, ws)).map((r) => (r as { n: number }).n).sort()).toEqual([1, 4, 5]);

    const ids = out.map((o) => (o.status === 'created' ? o.leadId : ''));
    // Working stays open; disqualified leaves it; back to working enters it again.
    await changeLeadStatus(db, org.principals.ops, ids[0], 'working');
    await changeLeadStatus(db, org.principals.ops, ids[1], 'disqualified', 'no fit');
    await changeLeadStatus(db, org.principals.ops, ids[2], 'working');
    await changeLeadStatus(db, org.principals.ops, ids[2], 'disqualified', 'no budget');
    await changeLeadStatus(db, org.principals.ops, ids[2], 'working');
    expect(await kept(db, ws)).toEqual(await counted(db, ws));
    // Owner changes, several leads in one statement, a delete, and a rep deleted (their leads lose the owner).
    await db.query('update leads set owner_id = $2 where id = any($1)', [ids.slice(3, 6), reps[1].id]);
    await db.query('update leads set owner_id = null where id = $1', [ids[6]]);
    await db.query('delete from leads where id = $1', [ids[7]]);
    expect(await kept(db, ws)).toEqual(await counted(db, ws));
    await db.query('delete from users where id = $1', [reps[0].id]);
    expect(await kept(db, ws)).toEqual(await counted(db, ws));

    // A fold leaves one row per rep with the same sums.
    await foldOpenCounts(db, ws);
    expect(await kept(db, ws)).toEqual(await counted(db, ws));
    const [{ rows }] = await db.query<{ rows: number }>('select count(*)::int as rows from lead_open_counts where workspace_id = $1', [ws]);
    expect(rows).toBe((await counted(db, ws)).length);

    await db.query('delete from workspaces where id = $1', [ws]);
    expect(await db.query('select 1 from lead_open_counts where workspace_id = $1', [ws])).toEqual([]);
  });

  it('keep reps to their capacity across intakes, and give room back when a lead closes', async () => {
    const { db, org, reps, ws } = await setup(3);
    const first = await intakeLeads(
      db,
      org.principals.ops,
      Array.from({ length: 8 }, (_, i) => lead(i)),
      now,
    );
    const owners = first.map((o) => (o.status === 'created' ? o.ownerId : null));
    expect(owners.filter((o) => o === reps[0].id)).toHaveLength(3);
    expect(owners.filter((o) => o === reps[1].id)).toHaveLength(3);
    expect(first.slice(6).map((o) => o.status === 'created' && o.queue)).toEqual(['triage', 'triage']);

    const closed = first.find((o) => o.status === 'created' && o.ownerId === reps[1].id);
    await changeLeadStatus(db, org.principals.ops, closed?.status === 'created' ? closed.leadId : '', 'disqualified', 'no fit');
    const [next, full] = await intakeLeads(db, org.principals.ops, [lead(50), lead(51)], now);
    expect(next).toMatchObject({ status: 'created', ownerId: reps[1].id });
    expect(full).toMatchObject({ status: 'created', ownerId: null, queue: 'triage' });
    expect(await kept(db, ws)).toEqual(await counted(db, ws));
  });

  it('are folded by intake once rows pile up, and stay exact', async () => {
    const { db, org, reps, ws } = await setup();
    // One row per intake per rep: single-lead intakes pile them up until a reader folds them.
    for (let i = 0; i < 2 * FOLD_OPEN_COUNTS_AT + 6; i++) await intakeLeads(db, org.principals.ops, [lead(i)], now);
    const rows = await db.query<{ userId: string; rows: number }>(
      'select user_id as "userId", count(*)::int as rows from lead_open_counts where workspace_id = $1 group by user_id',
      [ws],
    );
    expect(rows.map((r) => r.userId).sort()).toEqual(reps.map((r) => r.id).sort());
    for (const r of rows) expect(r.rows).toBeLessThanOrEqual(FOLD_OPEN_COUNTS_AT + 1);
    expect(await kept(db, ws)).toEqual(await counted(db, ws));
  });
});
