import type { Db } from '../../db/client.js';
import { notify } from '../notify/notify.service.js';
import { findWorkspace, listWorkspaces } from '../org/org.repo.js';
import { alertRecipients, averageOf, effectiveAlertStages, isLowRated } from './surveys.core.js';
import * as repo from './surveys.repo.js';

type Opportunity = { name: string; ownerId: string | null; repName: string | null; accountCsmId: string | null };

/**
 * "When a low-rated rep is closing a deal, customer success (and the CEO) are alerted and can listen to the calls."
 * Called when an opportunity reaches a stage (inside that change's transaction): if the stage is one of the alert
 * stages and the owner's rating so far (ratings up to `at`) is below the threshold with enough ratings, the
 * account's CSM (else every CSM and relationship manager) and the chosen executives are notified, once per
 * opportunity and stage. Returns whether an alert went out.
 */
export async function alertIfLowRated(tx: Db, input: { workspaceId: string; opportunityId: string; stage: string; at: Date }) {
  const ws = await findWorkspace(tx, input.workspaceId);
  if (!ws) return false;
  const settings = await repo.readSettings(tx, input.workspaceId);
  if (!effectiveAlertStages(settings, ws.opportunityStages).includes(input.stage)) return false;
  const [opp] = await tx.query<Opportunity>(
    `select o.name, o.owner_id as "ownerId", u.name as "repName", a.csm_id as "accountCsmId"
       from opportunities o left join users u on u.id = o.owner_id left join accounts a on a.id = o.account_id
      where o.workspace_id = $1 and o.id = $2`,
    [input.workspaceId, input.opportunityId],
  );
  if (!opp?.ownerId) return false;
  const score = await repo.repScore(tx, input.workspaceId, opp.ownerId, input.at);
  if (!isLowRated(score, settings.threshold, settings.minRatings)) return false;
  const [fresh] = await tx.query(
    `insert into survey_alerts (workspace_id, opportunity_id, stage, rep_id, rating_sum, rating_count) values ($1, $2, $3, $4, $5, $6)
     on conflict (opportunity_id, stage) do nothing returning stage`,
    [input.workspaceId, input.opportunityId, input.stage, opp.ownerId, score.sum, score.count],
  );
  if (!fresh) return false;
  const people = await tx.query<{ id: string; success: boolean }>(
    `select id, roles && array['csm', 'relationship_manager'] as success from users
      where workspace_id = $1 and active and (roles && array['csm', 'relationship_manager'] or id = any($2::uuid[]) or id = $3)`,
    [input.workspaceId, settings.alertUserIds, opp.accountCsmId],
  );
  const accountCsm = opp.accountCsmId && people.some((p) => p.id === opp.accountCsmId) ? opp.accountCsmId : null;
  const recipients = alertRecipients({
    accountCsmId: accountCsm,
    successIds: people.filter((p) => p.success).map((p) => p.id),
    executiveIds: people.filter((p) => settings.alertUserIds.includes(p.id)).map((p) => p.id),
    repId: opp.ownerId,
  });
  const [routing] = await tx.query<{ webhookUrl: string | null }>(
    'select webhook_url as "webhookUrl" from routing_settings where workspace_id = $1',
    [input.workspaceId],
  );
  const rep = opp.repName ?? 'The owner';
  await notify(
    tx,
    recipients.map((userId) => ({
      workspaceId: input.workspaceId,
      userId,
      kind: 'low_rating_alert' as const,
      title: `Low-rated rep closing: ${opp.name}`,
      body: `${rep} moved ${opp.name} to ${input.stage}. Buyer rating ${averageOf(score)} over ${score.count} surveys, below ${settings.threshold}: customer success may want to join the calls.`,
      recordType: 'opportunity',
      recordId: input.opportunityId,
    })),
    routing?.webhookUrl ?? null,
  );
  return true;
}

/**
 * The sweep's catch-up for deals that reached an alert stage without a stage move (created or imported directly in
 * it): stage entries of the last day, of reps who are low-rated now, are checked with the rating they had then.
 */
export async function alertRecentLateStages(db: Db, now: Date) {
  for (const ws of await listWorkspaces(db)) {
    const settings = await repo.readSettings(db, ws.id);
    const lowRated = (await repo.leaderboard(db, ws.id, now))
      .filter((r) => isLowRated(r, settings.threshold, settings.minRatings))
      .map((r) => r.userId);
    if (!lowRated.length) continue;
    const entries = await db.query<{ opportunityId: string; stage: string; at: Date }>(
      `select distinct on (ch.record_id, ch.to_value) ch.record_id as "opportunityId", ch.to_value as stage, ch.changed_at as at
         from status_changes ch join opportunities o on o.id = ch.record_id
        where ch.workspace_id = $1 and ch.record_type = 'opportunity' and ch.field = 'stage' and ch.to_value = any($2::text[])
          and ch.changed_at > $3::timestamptz - interval '1 day' and ch.changed_at <= $3
          and o.stage = ch.to_value and o.owner_id = any($4::uuid[])
          and not exists (select 1 from survey_alerts a where a.opportunity_id = ch.record_id and a.stage = ch.to_value)
        order by ch.record_id, ch.to_value, ch.changed_at desc`,
      [ws.id, effectiveAlertStages(settings, ws.opportunityStages), now, lowRated],
    );
    for (const e of entries) await db.transaction((tx) => alertIfLowRated(tx, { workspaceId: ws.id, ...e }));
  }
}
