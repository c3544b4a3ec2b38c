import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { AppError } from '../errors.js';

export type Stored = { statusCode: number; body: unknown };

/**
 * Runs a write once per Idempotency-Key: the key row is inserted in the same transaction as the write,
 * so a concurrent retry waits for the first to commit and then replays its response; a retry with the
 * same key but a different body is refused.
 */
export async function withIdempotency(
  db: Db,
  workspaceId: string,
  key: string | undefined,
  request: unknown,
  run: (tx: Db) => Promise<Stored>,
): Promise<Stored & { replayed: boolean }> {
  if (key === undefined) return { ...(await db.transaction(run)), replayed: false };
  if (!/^[\x21-\x7e]{1,200}$/.test(key))
    throw new AppError('validation_failed', 'Idempotency-Key: 1 to 200 printable characters', [
      { path: 'Idempotency-Key', message: '1 to 200 printable characters' },
    ]);
  const hash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
  return db.transaction(async (tx) => {
    const claimed = await tx.query(
      `insert into idempotency_keys (workspace_id, key, request_hash, status_code, response) values ($1, $2, $3, 0, 'null')
       on conflict (workspace_id, key) do nothing returning key`,
      [workspaceId, key, hash],
    );
    if (!claimed.length) {
      const [prev] = await tx.query<{ request_hash: string; status_code: number; response: unknown }>(
        'select request_hash, status_code, response from idempotency_keys where workspace_id = $1 and key = $2',
        [workspaceId, key],
      );
      if (prev.request_hash !== hash) throw new AppError('conflict', 'This Idempotency-Key was already used with a different request body');
      return { statusCode: prev.status_code, body: prev.response, replayed: true };
    }
    const result = await run(tx);
    await tx.query('update idempotency_keys set status_code = $3, response = $4 where workspace_id = $1 and key = $2', [
      workspaceId,
      key,
      result.statusCode,
      JSON.stringify(result.body),
    ]);
    return { ...result, replayed: false };
  });
}
