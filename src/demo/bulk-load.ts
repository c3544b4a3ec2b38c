import type { Db } from '../db/client.js';

/** The tables the demo writes hundreds of thousands of rows into. */
const BIG_TABLES = ['leads', 'opportunities', 'status_changes', 'web_events', 'activities', 'usage_events'];

/**
 * Makes the demo's bulk writes cheaper, inside the caller's transaction (so a failure undoes it all):
 *
 * - Foreign-key checks are skipped (session_replication_role = replica) when the database allows it (superuser:
 *   always on PGlite) and no table carries a trigger of its own that replica mode would skip (triggers enabled
 *   ALWAYS, like the open-lead counts of migration 0011, still fire), so nothing but the FK checks is skipped. The demo
 *   writes references that exist by construction, and its tests check every reference with anti-joins.
 *   The analytics triggers (they only mark days for the rollups) are skipped too: the demo marks every day of
 *   the workspace for recomputation instead (`markAllDirty`).
 * - On a database that holds no CRM rows yet (a fresh `npm start`, a new benchmark database), the non-unique
 *   secondary indexes of the big tables are dropped and rebuilt at the end: one sorted build is far cheaper than
 *   a million random index inserts. With other data present, nothing is dropped.
 */
export async function prepareBulkLoad(
  tx: Db,
): Promise<{ finish: () => Promise<void>; skippedForeignKeys: boolean; deferredIndexes: number }> {
  const [{ triggers }] = await tx.query<{ triggers: number }>(
    `select count(*)::int as triggers from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where c.relname = any($1) and c.relnamespace = 'public'::regnamespace and not t.tgisinternal
        and t.tgname not like 'analytics\\_%' and t.tgenabled <> 'A'`,
    [[...BIG_TABLES, 'accounts', 'contacts', 'subscriptions', 'arr_movements', 'buyer_surveys']],
  );
  let skippedForeignKeys = false;
  if (triggers === 0) {
    await tx.query('savepoint demo_bulk');
    try {
      await tx.query('set local session_replication_role = replica');
      await tx.query('release savepoint demo_bulk');
      skippedForeignKeys = true;
    } catch {
      // Not a superuser: keep the checks.
      await tx.query('rollback to savepoint demo_bulk');
    }
  }

  const empty =
    (await tx.query<{ any: boolean }>(`select exists (select 1 from leads) or exists (select 1 from status_changes) as any`))[0].any ===
    false;
  const indexes = empty
    ? await tx.query<{ name: string; def: string }>(
        `select c.relname as name, pg_get_indexdef(i.indexrelid) as def
           from pg_index i join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
          where t.relname = any($1) and t.relnamespace = 'public'::regnamespace and not i.indisunique and not i.indisprimary
            and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
          order by c.relname`,
        [BIG_TABLES],
      )
    : [];
  for (const ix of indexes) await tx.query(`drop index "${ix.name}"`);

  return {
    skippedForeignKeys,
    deferredIndexes: indexes.length,
    finish: async () => {
      for (const ix of indexes) await tx.query(ix.def);
      if (skippedForeignKeys) await tx.query('set local session_replication_role = origin');
    },
  };
}
