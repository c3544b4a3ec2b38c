import type { Db } from '../../db/client.js';
import { AppError } from '../errors.js';
import { dummyPasswordHash, randomToken, sha256, verifyPassword } from './secrets.js';

export type LoginResult = { token: string; csrfToken: string; expiresAt: Date; userId: string; workspaceId: string };

/**
 * Email + password login. The same email may exist in several workspaces; then the workspace slug is required.
 * Unknown email and wrong password give the same answer, after the same work.
 */
export async function login(
  db: Db,
  input: { email: string; password: string; workspace?: string },
  ttlHours: number,
  now: Date,
): Promise<LoginResult> {
  const users = await db.query<{ id: string; workspace_id: string; password_hash: string | null; slug: string }>(
    `select u.id, u.workspace_id, u.password_hash, w.slug from users u join workspaces w on w.id = u.workspace_id
      where lower(u.email) = lower($1) and u.active and ($2::text is null or w.slug = $2)`,
    [input.email.trim(), input.workspace ?? null],
  );
  // Only accounts whose password matches count: otherwise anyone could learn which workspaces an email belongs to.
  const matching: typeof users = [];
  for (const u of users) if (await verifyPassword(u.password_hash, input.password)) matching.push(u);
  if (!users.length) await verifyPassword(await dummyPasswordHash(), input.password);
  if (matching.length > 1)
    throw new AppError('validation_failed', 'This email belongs to several workspaces: say which one', [
      { path: 'workspace', message: `one of ${matching.map((u) => u.slug).join(', ')}` },
    ]);
  const user = matching[0];
  if (!user) throw new AppError('unauthenticated', 'Wrong email or password');
  const token = randomToken();
  const csrfToken = randomToken(24);
  const expiresAt = new Date(now.getTime() + ttlHours * 3600_000);
  await db.query('insert into sessions (id, workspace_id, user_id, csrf_token, expires_at) values ($1, $2, $3, $4, $5)', [
    sha256(token),
    user.workspace_id,
    user.id,
    csrfToken,
    expiresAt,
  ]);
  return { token, csrfToken, expiresAt, userId: user.id, workspaceId: user.workspace_id };
}

export async function logout(db: Db, token: string) {
  await db.query('delete from sessions where id = $1', [sha256(token)]);
}
