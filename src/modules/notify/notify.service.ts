import { insertMany } from '../../db/bulk.js';
import type { Db } from '../../db/client.js';
import { enqueue } from '../../platform/jobs/queue.js';

export const WEBHOOK_KIND = 'notify.webhook';

export type Notice = {
  workspaceId: string;
  userId: string;
  kind:
    | 'lead_assigned'
    | 'handoff_assigned'
    | 'sla_warning'
    | 'sla_breach'
    | 'handoff_escalated'
    | 'handoff_sent_back'
    | 'handoff_accepted'
    | 'success_task'
    | 'milestone_missed'
    | 'low_rating_alert';
  title: string;
  body?: string | null;
  recordType?: string | null;
  recordId?: string | null;
};

/**
 * In-app notifications, and the same text to the workspace's outgoing webhook (Slack-compatible JSON),
 * delivered by a retried job so a slow or failing receiver never blocks the change that caused it.
 */
export async function notify(tx: Db, notices: Notice[], webhookUrl: string | null) {
  if (!notices.length) return;
  await insertMany(
    tx,
    'notifications',
    [
      { name: 'workspace_id', type: 'uuid' },
      { name: 'user_id', type: 'uuid' },
      { name: 'kind', type: 'text' },
      { name: 'title', type: 'text' },
      { name: 'body', type: 'text' },
      { name: 'record_type', type: 'text' },
      { name: 'record_id', type: 'uuid' },
    ],
    notices.map((n) => [n.workspaceId, n.userId, n.kind, n.title, n.body ?? null, n.recordType ?? null, n.recordId ?? null]),
  );
  if (webhookUrl)
    for (const n of notices)
      await enqueue(tx, {
        kind: WEBHOOK_KIND,
        workspaceId: n.workspaceId,
        payload: {
          url: webhookUrl,
          body: {
            text: n.body ? `${n.title}\n${n.body}` : n.title,
            revline: { kind: n.kind, userId: n.userId, recordType: n.recordType, recordId: n.recordId },
          },
        },
      });
}

/** Job handler: POST the JSON; a non-2xx answer or a timeout throws, so the job is retried with backoff. */
export async function deliverWebhook(payload: { url: string; body: unknown }) {
  const res = await fetch(payload.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Revline-Webhook/1' },
    body: JSON.stringify(payload.body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`webhook answered ${res.status}`);
}

export async function listNotifications(db: Db, workspaceId: string, userId: string, opts: { unreadOnly: boolean; limit: number }) {
  return db.query(
    `select id, kind, title, body, record_type as "recordType", record_id as "recordId", read_at as "readAt", created_at as "createdAt"
       from notifications where workspace_id = $1 and user_id = $2 and ($3::boolean = false or read_at is null)
      order by id desc limit $4`,
    [workspaceId, userId, opts.unreadOnly, opts.limit],
  );
}

export async function markRead(db: Db, workspaceId: string, userId: string, ids: number[] | 'all') {
  await db.query(
    `update notifications set read_at = now() where workspace_id = $1 and user_id = $2 and read_at is null
       and ($3::bigint[] is null or id = any($3))`,
    [workspaceId, userId, ids === 'all' ? null : ids],
  );
}
