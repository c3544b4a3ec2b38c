import { DateTime } from 'luxon';
import type { Db } from '../../db/client.js';
import { INSERT_DAILY_COUNTS, INSERT_DAILY_DURATIONS, INSERT_MONTHLY_COUNTS, INSERT_MONTHLY_DURATIONS } from './rollup.sql.js';

/** Days recomputed per statement: bounded so one chunk's facts stay a modest working set. */
const CHUNK_DAYS = 31;

/**
 * Brings a workspace's rollups up to date: recomputes every dirty day from the base tables, then the months
 * that hold them. One refresher per workspace at a time (advisory lock); a writer that dirties a day while this
 * runs leaves it dirty for the next refresh, so nothing is lost between instances.
 * Returns the number of days recomputed.
 */
export async function refreshRollups(db: Db, workspaceId: string): Promise<number> {
  const days = await recompute(db, workspaceId);
  // A large rebuild changes the rollup tables' size a lot: fresh statistics keep the reads on their index
  // (autovacuum may be off, and PGlite has none).
  if (days > LARGE_REFRESH_DAYS) await db.query('analyze analytics_counts, analytics_durations');
  return days;
}

const LARGE_REFRESH_DAYS = 90;

async function recompute(db: Db, workspaceId: string): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(hashtextextended('analytics:' || $1, 0))`, [workspaceId]);
    const dirty = await tx.query<{ day: string }>('delete from analytics_dirty_days where workspace_id = $1 returning day::text as day', [
      workspaceId,
    ]);
    if (dirty.length === 0) return 0;
    const [{ timezone }] = await tx.query<{ timezone: string }>('select timezone from workspaces where id = $1', [workspaceId]);
    const days = [...new Set(dirty.map((d) => d.day))].sort();
    for (let i = 0; i < days.length; i += CHUNK_DAYS) {
      const chunk = days.slice(i, i + CHUNK_DAYS);
      const lo = DateTime.fromISO(chunk[0], { zone: timezone }).toJSDate();
      const hi = DateTime.fromISO(chunk[chunk.length - 1], { zone: timezone })
        .plus({ days: 1 })
        .toJSDate();
      await tx.query(
        `delete from analytics_counts where workspace_id = $1 and grain = 'd' and view = any('{p,c}') and day = any($2::date[])`,
        [workspaceId, chunk],
      );
      await tx.query(
        `delete from analytics_durations where workspace_id = $1 and grain = 'd' and view = any('{p,c}') and day = any($2::date[])`,
        [workspaceId, chunk],
      );
      await tx.query(INSERT_DAILY_COUNTS, [workspaceId, chunk, timezone, lo, hi]);
      await tx.query(INSERT_DAILY_DURATIONS, [workspaceId, chunk, timezone, lo, hi]);
    }
    const months = [...new Set(days.map((d) => `${d.slice(0, 7)}-01`))].sort();
    const from = months[0];
    const until = DateTime.fromISO(months[months.length - 1])
      .plus({ months: 1 })
      .toISODate()!;
    for (const table of ['analytics_counts', 'analytics_durations']) {
      await tx.query(`delete from ${table} where workspace_id = $1 and grain = 'm' and view = any('{p,c}') and day = any($2::date[])`, [
        workspaceId,
        months,
      ]);
    }
    await tx.query(INSERT_MONTHLY_COUNTS, [workspaceId, months, from, until]);
    await tx.query(INSERT_MONTHLY_DURATIONS, [workspaceId, months, from, until]);
    return days.length;
  });
}

/** Cheap check readers make before reading rollups. */
export async function hasDirtyDays(db: Db, workspaceId: string): Promise<boolean> {
  const rows = await db.query('select 1 from analytics_dirty_days where workspace_id = $1 limit 1', [workspaceId]);
  return rows.length > 0;
}

/** Marks every day holding a fact of the workspace: after a bulk load that bypassed the triggers. */
export async function markAllDirty(db: Db, workspaceId: string) {
  await db.query('select analytics_mark_all($1)', [workspaceId]);
}

/** Refreshes every workspace with dirty days (the background job). */
export async function refreshAllWorkspaces(db: Db): Promise<number> {
  const rows = await db.query<{ workspaceId: string }>('select distinct workspace_id as "workspaceId" from analytics_dirty_days');
  let days = 0;
  for (const r of rows) days += await refreshRollups(db, r.workspaceId);
  return days;
}
