import type { Db } from '../../db/client.js';
import { invalid } from '../../platform/errors.js';
import type { Row } from '../crm/records.repo.js';
import { bumpCounters, loadPoolMembers, lockPool, poolKeyOf } from './pools.repo.js';
import { type PoolSpec, pickFromPool, route } from './routing.core.js';
import { listRules } from './settings.repo.js';

export const CLOSER_ROLES = ['ae', 'realtime_ae', 'esb_ae'];

export type AeChoice =
  | { aeId: string; how: string; poolKey: string | null; explanation: unknown[] }
  | { aeId: null; how: string; explanation: unknown[] };

/**
 * Which AE takes a qualified lead: the one named; else the handoff rules; else the owner of the lead's
 * account; else round-robin among AEs of the lead's segment, then among all AEs. `exclude` keeps an
 * escalated handoff from going back to the AE who let it lapse.
 */
export async function chooseAe(
  tx: Db,
  workspaceId: string,
  lead: Row,
  opts: { aeId?: string; exclude?: string[]; now: Date },
): Promise<AeChoice> {
  const exclude = new Set(opts.exclude ?? []);
  if (opts.aeId) {
    const [u] = await tx.query<{ roles: string[]; active: boolean }>(
      'select roles, active from users where workspace_id = $1 and id = $2',
      [workspaceId, opts.aeId],
    );
    if (!u?.active) throw invalid('aeId', 'no active user with this id in this workspace');
    if (!u.roles.some((r) => CLOSER_ROLES.includes(r))) throw invalid('aeId', 'this user is not an AE');
    return { aeId: opts.aeId, how: 'chosen by hand', poolKey: null, explanation: [] };
  }
  const [account] = lead.accountId
    ? await tx.query<{ id: string; owner_id: string | null }>('select id, owner_id from accounts where workspace_id = $1 and id = $2', [
        workspaceId,
        lead.accountId,
      ])
    : [];
  const rules = await listRules(tx, workspaceId, 'handoff');
  const decision = route(
    {
      segment: (lead.segment as string) ?? null,
      sourceType: lead.sourceType as string,
      channel: lead.channel as string,
      country: (lead.country as string) ?? null,
      employees: (lead.employees as number) ?? null,
      existingAccount: account ? { id: account.id, ownerId: account.owner_id } : null,
    },
    rules,
    'default',
  );
  const explanation: unknown[] = [...decision.explanation];
  if (decision.kind === 'user' && !exclude.has(decision.userId))
    return { aeId: decision.userId, how: `rule ${decision.ruleId}`, poolKey: null, explanation };
  const pools: PoolSpec[] = decision.kind === 'pool' ? [decision.pool] : [];
  if (decision.kind !== 'pool' && account?.owner_id && !exclude.has(account.owner_id)) {
    const [owner] = await tx.query<{ roles: string[] }>('select roles from users where id = $1 and active', [account.owner_id]);
    if (owner?.roles.some((r) => CLOSER_ROLES.includes(r)))
      return { aeId: account.owner_id, how: 'account owner', poolKey: null, explanation };
  }
  if (lead.segment) pools.push({ roles: ['ae'], segment: lead.segment as string });
  pools.push({ roles: CLOSER_ROLES });
  for (const pool of pools) {
    const key = poolKeyOf(pool);
    await lockPool(tx, workspaceId, key);
    const members = (await loadPoolMembers(tx, workspaceId, key, pool)).filter((m) => !exclude.has(m.id));
    // AEs are not capacity-limited by open leads here: a handoff is a deal, not a lead.
    const pick = pickFromPool(
      members.map((m) => ({ ...m, openLoad: 0 })),
      opts.now,
    );
    explanation.push({ name: `pool ${key}`, skipped: pick.skipped, picked: pick.ok ? pick.userId : null });
    if (pick.ok) {
      await bumpCounters(tx, workspaceId, key, new Map([[pick.userId, 1]]));
      return { aeId: pick.userId, how: `round-robin in ${key}`, poolKey: key, explanation };
    }
  }
  return { aeId: null, how: 'no AE available', explanation };
}
