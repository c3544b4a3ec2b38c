import type { Db } from '../../db/client.js';
import { loadWorkspace } from '../analytics/funnel.service.js';
import { type Notice, notify } from '../notify/notify.service.js';
import { localDay } from './health.core.js';
import * as repo from './health.repo.js';
import { loadSettings } from './health.service.js';
import { dedupeKey, dueAt, detectSignals as rulesFor, type SignalInputs } from './signals.core.js';
import { insertTasks, type NewTask } from './tasks.repo.js';

/**
 * Evaluates the churn-risk and expansion rules on every customer account as of `now` and turns each signal
 * into a task for the account's CSM (its owner when it has no CSM), with an in-app notification. Idempotent and
 * safe with concurrent runs: a signal whose task is still open, or was closed within the cooldown, raises nothing.
 * Health drops are read from the stored scores (refreshHealth first for today's).
 */
export async function detectSignals(db: Db, workspaceId: string, now: Date): Promise<void> {
  const { timezone } = await loadWorkspace(db, workspaceId);
  const settings = await loadSettings(db, workspaceId);
  const s = settings.signals;
  const day = localDay(now, timezone);
  const customers = await repo.customerAccounts(db, workspaceId, now, day);
  const ids = customers.map((a) => a.id);
  const usage = await repo.usageCounts(db, workspaceId, ids, now, settings.events, s.lookbackDays);
  const firsts = await repo.firstEvents(db, workspaceId, ids, now);
  const health = await repo.latestWithBaseline(db, workspaceId, ids, day, s.healthDropDays);
  const misses = await repo.recentMisses(db, workspaceId, ids, now, s.lookbackDays, timezone);
  const teams = await repo.newTeams(db, workspaceId, ids, now, settings.events.teamProperty, s.lookbackDays);
  const lookbackStart = now.getTime() - s.lookbackDays * 86_400_000;

  const tasks: NewTask[] = [];
  for (const a of customers) {
    const u = usage.get(a.id);
    const h = health.get(a.id);
    // A team is "new" only on an account already in use before the lookback: a new customer's first teams are onboarding.
    const inUseBefore = (firsts.get(a.id)?.getTime() ?? Number.POSITIVE_INFINITY) <= lookbackStart;
    const inputs: SignalInputs = {
      accountName: a.name,
      health: h?.latest ?? null,
      bestBefore: h?.best ?? null,
      usage: { last30: u?.last30 ?? 0, prev30: u?.prev30 ?? 0 },
      seats: { used: u?.users30 ?? 0, bought: a.seats },
      missedMilestones: misses.get(a.id) ?? [],
      newTeams: inUseBefore ? (teams.get(a.id) ?? []) : [],
      planLimitHits: u?.limitHits ?? 0,
    };
    for (const signal of rulesFor(inputs, s))
      tasks.push({
        ...signal,
        accountId: a.id,
        assigneeId: a.csmId ?? a.ownerId,
        dueAt: dueAt(signal.kind, now, settings.taskDueDays),
        dedupeKey: dedupeKey(signal.kind, a.id),
      });
  }

  await db.transaction(async (tx) => {
    const created = await insertTasks(tx, workspaceId, tasks, now, s.cooldownDays);
    const notices: Notice[] = created
      .filter((t) => t.assigneeId)
      .map((t) => ({
        workspaceId,
        userId: t.assigneeId!,
        kind: 'success_task',
        title: `New task: ${t.title}`,
        body: t.detail,
        recordType: 'account',
        recordId: t.accountId,
      }));
    await notify(tx, notices, await repo.webhookUrl(tx, workspaceId));
  });
}
