import { describe, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { afterAttempt, backoffSeconds } from './jobs.core.js';
import { claim, enqueue, finish } from './queue.js';
import { startWorker } from './worker.js';

describe('job retry rules', () => {
  it('backs off exponentially from 10 s and caps at an hour', () => {
    expect([1, 2, 3, 4].map(backoffSeconds)).toEqual([10, 20, 40, 80]);
    expect(backoffSeconds(20)).toBe(3600);
  });
  it('gives up after max attempts', () => {
    expect(afterAttempt(1, 3, true)).toEqual({ status: 'done' });
    expect(afterAttempt(2, 3, false)).toEqual({ status: 'retry', runInSeconds: 20 });
    expect(afterAttempt(3, 3, false)).toEqual({ status: 'failed' });
  });
});

describeEachDb('job queue', (getDb, kind) => {
  const unique = () => `test.${Math.random().toString(36).slice(2)}`;

  it('enqueues idempotently by dedupe key', async () => {
    const db = getDb();
    const k = unique();
    expect(await enqueue(db, { kind: k, dedupeKey: `${k}:1` })).not.toBeNull();
    expect(await enqueue(db, { kind: k, dedupeKey: `${k}:1` })).toBeNull();
    const [{ n }] = await db.query<{ n: number }>('select count(*)::int as n from jobs where kind = $1', [k]);
    expect(n).toBe(1);
  });

  it('hands each job to exactly one of several concurrent claimers', async () => {
    const db = getDb();
    const k = unique();
    for (let i = 0; i < 40; i++) await enqueue(db, { kind: k, payload: { i } });
    const batches = await Promise.all(Array.from({ length: 8 }, () => claim(db, [k], 10, 60)));
    const ids = batches.flat().map((j) => j.id);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    if (kind === 'postgres') expect(batches.filter((b) => b.length > 0).length).toBeGreaterThan(1);
  });

  it('retries a failing job later and reclaims a job whose worker died', async () => {
    const db = getDb();
    const k = unique();
    await enqueue(db, { kind: k, maxAttempts: 2 });
    const [job] = await claim(db, [k], 1, 60);
    await finish(db, job, new Error('boom'));
    const [row] = await db.query<{ status: string; last_error: string; due: boolean }>(
      'select status, last_error, run_at > now() as due from jobs where id = $1',
      [job.id],
    );
    expect(row).toMatchObject({ status: 'pending', due: true });
    expect(row.last_error).toContain('boom');
    // Simulate the retry time arriving and a worker dying mid-job (lock expired).
    await db.query(`update jobs set run_at = now() - interval '1 second' where id = $1`, [job.id]);
    const [again] = await claim(db, [k], 1, 60);
    expect(again.attempts).toBe(2);
    await db.query(`update jobs set locked_until = now() - interval '1 second' where id = $1`, [job.id]);
    const [reclaimed] = await claim(db, [k], 1, 60);
    expect(reclaimed.id).toBe(job.id);
    await finish(db, reclaimed, new Error('boom again'));
    const [final] = await db.query<{ status: string }>('select status from jobs where id = $1', [job.id]);
    expect(final.status).toBe('failed');
  });

  it('runs due jobs through the worker once', async () => {
    const db = getDb();
    const k = unique();
    const seen: unknown[] = [];
    await enqueue(db, { kind: k, payload: { n: 1 } });
    await enqueue(db, { kind: k, payload: { n: 2 }, runAt: new Date(Date.now() + 3600_000) });
    const w = startWorker(db, { [k]: async (job) => void seen.push(job.payload) }, { pollMs: 60_000 });
    await w.stop();
    await w.runOnce();
    expect(seen).toEqual([{ n: 1 }]);
    const rows = await db.query<{ status: string }>('select status from jobs where kind = $1 order by id', [k]);
    expect(rows.map((r) => r.status)).toEqual(['done', 'pending']);
  });
});
