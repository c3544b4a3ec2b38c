import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { principalFor, seedOrg } from '../../../test/support/fixtures.js';
import type { Db } from '../../db/client.js';
import { AppError } from '../../platform/errors.js';
import { createUser } from '../org/org.service.js';
import { calibration, quotaBacktest } from './calibration.service.js';
import { setQuota } from './quotas.service.js';

type Org = Awaited<ReturnType<typeof seedOrg>>;
const NOW = new Date('2026-11-23T12:00:00Z');

async function refusal(p: Promise<unknown>): Promise<{ code: string; path?: string }> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const d = Array.isArray(err.details) ? err.details[0] : undefined;
    return { code: err.code, path: d?.path };
  }
  throw new Error('expected a refusal');
}

/**
 * Team A: five AEs (aeA + a1..a4), quota 100,000 each in 2026-Q2 and 2026-Q3, won ARR chosen by hand:
 *   Q2: 130k, 140k, 150k, 160k, 90k -> 4 of 5 (80%) beat, beaters average 145% -> too easy, qualifies;
 *   Q3: 125k, 130k, 200k, 125k, 50k -> 4 of 5 beat, beaters average 145% -> qualifies: the trigger fires.
 *   Q4 (running at NOW): nothing won yet -> too hard, "in progress".
 * Team B: aeB alone, quota 100,000, Q3 70k -> too hard.
 */
describeEachDb('quota calibration service', (getDb) => {
  let db: Db;
  let org: Org;
  const aes: string[] = [];

  beforeAll(async () => {
    db = getDb();
    org = await seedOrg(db);
    const ws = org.workspace.id;
    aes.push(org.users.aeA.id);
    for (const k of ['a1', 'a2', 'a3', 'a4']) {
      const u = await createUser(db, 'system', ws, {
        email: `${k}@${ws}.test`,
        name: k,
        roles: ['ae'],
        password: 'test-password-123',
        teamId: org.teams.teamA.id,
      });
      aes.push(u.id);
    }
    for (const period of ['2026-Q2', '2026-Q3', '2026-Q4'])
      for (const id of [...aes, org.users.aeB.id])
        await setQuota(db, org.principals.ops, { userId: id, metric: 'new_arr', period, amount: '100000' });
    const [acc] = await db.query<{ id: string }>(
      `insert into accounts (workspace_id, name, segment) values ($1, 'Acme', 'SMB') returning id`,
      [ws],
    );
    const won = (owner: string, amount: number, at: string) =>
      db.query(
        `insert into opportunities (workspace_id, name, owner_id, account_id, amount, stage, created_at, closed_at, segment, source_type)
         values ($1, 'Deal', $2, $3, $4, 'won', $5, $5, 'SMB', 'net')`,
        [ws, owner, acc.id, amount, at],
      );
    const q2 = [130000, 140000, 150000, 160000, 90000];
    const q3 = [125000, 130000, 200000, 125000, 50000];
    for (const [i, id] of aes.entries()) {
      await won(id, q2[i], '2026-05-10T10:00:00Z');
      await won(id, q3[i], '2026-08-10T10:00:00Z');
    }
    await won(org.users.aeB.id, 70000, '2026-08-12T10:00:00Z');
  });

  it('builds the distribution per team and period from real quotas and live attainment', async () => {
    const r = await calibration(db, org.principals.ops, { metric: 'new_arr', period: '2026-Q4', periods: 3 }, NOW);
    expect(r.metric).toBe('new_arr');
    expect(r.periods).toEqual(['2026-Q2', '2026-Q3', '2026-Q4']);
    const a = r.distribution.filter((d) => d.teamId === org.teams.teamA.id);
    expect(a.map((d) => [d.period, d.reps, d.attained, d.share, d.flag])).toEqual([
      ['2026-Q2', 5, 4, 0.8, 'too_easy'],
      ['2026-Q3', 5, 4, 0.8, 'too_easy'],
      ['2026-Q4', 5, 0, 0, 'too_hard'],
    ]);
    expect(a[0].teamName).toBe('Team A');
    expect(a[0].buckets).toEqual([
      { label: '<50', count: 0 },
      { label: '50-80', count: 0 },
      { label: '80-100', count: 1 },
      { label: '100-125', count: 0 },
      { label: '125+', count: 4 },
    ]);
    expect(a[2].reason).toMatch(/in progress until 2026-12-31/);
    expect(a[1].reason).not.toMatch(/in progress/);
    const b = r.distribution.find((d) => d.teamId === org.teams.teamB.id && d.period === '2026-Q3');
    expect(b).toMatchObject({ reps: 1, attained: 0, flag: 'too_hard' });
  });

  it('fires the raise trigger on the finished periods, with the proposed quota backtested', async () => {
    const r = await calibration(db, org.principals.ops, { metric: 'new_arr', period: '2026-Q4', periods: 3 }, NOW);
    const a = r.raise.find((x) => x.teamId === org.teams.teamA.id)!;
    expect(a.fires).toBe(true);
    // Q3 team average: (1.25 + 1.3 + 2 + 1.25 + 0.5) / 5 = 1.26 -> 126,000; at it 2 of 5 (200k, 130k) attain.
    expect(a.suggestion).toEqual({ currentQuota: '100000', proposedQuota: '126000', wouldAttain: 2, share: 0.4, flag: 'too_hard' });
    expect(a.explanation).toMatch(/2026-Q2: 4 of 5 \(80%\) beat quota, averaging 145%/);
    const b = r.raise.find((x) => x.teamId === org.teams.teamB.id)!;
    expect(b).toMatchObject({ teamName: 'Team B', fires: false, suggestion: null });
    // Two quarters ending with Q3 alone: the same verdict; one quarter is not "two in a row".
    expect((await calibration(db, org.principals.ops, { metric: 'new_arr', period: '2026-Q3', periods: 1 }, NOW)).raise[0].fires).toBe(
      false,
    );
  });

  it('answers "had the quota been Q, who would have attained?" on the same actuals', async () => {
    const r = await quotaBacktest(
      db,
      org.principals.admin,
      { metric: 'new_arr', periods: ['2026-Q2', '2026-Q3'], quota: { amount: '130000' } },
      NOW,
    );
    expect(r.periods.map((p) => p.period)).toEqual(['2026-Q2', '2026-Q3']);
    const q3 = r.periods[1];
    expect(q3.teams.find((t) => t.teamId === org.teams.teamA.id)).toMatchObject({ reps: 5, attained: 2, share: 0.4, flag: 'too_hard' });
    expect(q3.reps.find((x) => x.userId === aes[1])).toMatchObject({ actual: '130000.00', quota: '130000.00', attained: true });
    const byTeam = await quotaBacktest(
      db,
      org.principals.ops,
      { metric: 'new_arr', periods: ['2026-Q3'], quota: { byTeam: { [org.teams.teamB.id]: 70000 } } },
      NOW,
    );
    expect(byTeam.periods[0].teams).toEqual([
      { teamId: org.teams.teamB.id, teamName: 'Team B', reps: 1, attained: 1, share: 1, flag: 'too_easy' },
    ]);
    const byRep = await quotaBacktest(
      db,
      org.principals.ops,
      { metric: 'new_arr', periods: ['2026-Q2'], quota: { byRep: { [aes[4]]: '90000' } } },
      NOW,
    );
    expect(byRep.periods[0].reps).toEqual([
      { userId: aes[4], name: 'a4', teamId: org.teams.teamA.id, actual: '90000.00', quota: '90000.00', attained: true },
    ]);
  });

  it('scales a hypothetical quota by the ramp of a new hire', async () => {
    // aeB hired 2026-08-10: Aug 25%, Sep 50% -> Q3 factor (0 + 0.25 + 0.5) / 3 = 0.25.
    await db.query('update users set hire_date = $2 where id = $1', [org.users.aeB.id, '2026-08-10']);
    const r = await quotaBacktest(
      db,
      org.principals.ops,
      { metric: 'new_arr', periods: ['2026-Q3'], quota: { amount: 200000 }, teamId: org.teams.teamB.id },
      NOW,
    );
    expect(r.periods[0].reps).toEqual([expect.objectContaining({ quota: '50000.00', actual: '70000.00', attained: true })]);
    await db.query('update users set hire_date = null where id = $1', [org.users.aeB.id]);
  });

  it('limits a manager to their teams and refuses reps', async () => {
    const r = await calibration(db, org.principals.managerB, { metric: 'new_arr', period: '2026-Q3', periods: 2 }, NOW);
    expect(new Set(r.distribution.map((d) => d.teamId))).toEqual(new Set([org.teams.teamB.id]));
    expect(
      await refusal(calibration(db, org.principals.managerB, { metric: 'new_arr', period: '2026-Q3', teamId: org.teams.teamA.id }, NOW)),
    ).toEqual({
      code: 'forbidden',
      path: 'teamId',
    });
    expect((await refusal(calibration(db, org.principals.aeA, { metric: 'new_arr', period: '2026-Q3' }, NOW))).code).toBe('forbidden');
    expect(
      (await refusal(quotaBacktest(db, org.principals.sdrA, { metric: 'new_arr', periods: ['2026-Q3'], quota: { amount: 1 } }, NOW))).code,
    ).toBe('forbidden');
    const other = await seedOrg(db);
    const p = await principalFor(db, other.users.ops.email);
    expect(await refusal(calibration(db, p, { metric: 'new_arr', period: '2026-Q3', teamId: org.teams.teamA.id }, NOW))).toEqual({
      code: 'not_found',
      path: 'teamId',
    });
  });

  it('refuses bad input naming the field', async () => {
    const ops = org.principals.ops;
    const cal = (q: Record<string, unknown>) => refusal(calibration(db, ops, { metric: 'new_arr', period: '2026-Q3', ...q } as never, NOW));
    expect(await cal({ metric: 'arr' })).toEqual({ code: 'validation_failed', path: 'metric' });
    expect(await cal({ period: '2026-W3' })).toEqual({ code: 'validation_failed', path: 'period' });
    expect(await cal({ periods: 0 })).toEqual({ code: 'validation_failed', path: 'periods' });
    expect(await cal({ periods: 'x' })).toEqual({ code: 'validation_failed', path: 'periods' });
    const bt = (x: Record<string, unknown>) =>
      refusal(quotaBacktest(db, ops, { metric: 'new_arr', periods: ['2026-Q3'], quota: { amount: 1 }, ...x } as never, NOW));
    expect(await bt({ quota: { amount: 0 } })).toEqual({ code: 'validation_failed', path: 'quota.amount' });
    expect(await bt({ quota: { amount: '-5' } })).toEqual({ code: 'validation_failed', path: 'quota.amount' });
    expect(await bt({ quota: { byRep: { [aes[0]]: 'lots' } } })).toEqual({ code: 'validation_failed', path: `quota.byRep.${aes[0]}` });
    expect(await bt({ quota: { byTeam: { nope: 5 } } })).toEqual({ code: 'validation_failed', path: 'quota.byTeam.nope' });
    expect(await bt({ quota: { amount: 1, byRep: {} } })).toEqual({ code: 'validation_failed', path: 'quota' });
    expect(await bt({ periods: [] })).toEqual({ code: 'validation_failed', path: 'periods' });
    expect(await bt({ periods: Array(9).fill('2026-Q1') })).toEqual({ code: 'validation_failed', path: 'periods' });
    expect(await bt({ periods: ['2026-Q1', 'soon'] })).toEqual({ code: 'validation_failed', path: 'periods[1]' });
    expect(await bt({ metric: 'deals' })).toEqual({ code: 'validation_failed', path: 'metric' });
  });
});
