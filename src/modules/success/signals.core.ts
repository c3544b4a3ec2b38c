import type { HealthSettings } from './health.core.js';

/** Churn-risk and expansion signals of one account: the rules that turn data into tasks. Pure. */

export const TASK_KINDS = [
  'churn_risk.health_drop',
  'churn_risk.usage_decline',
  'churn_risk.milestone_missed',
  'expansion.seats',
  'expansion.new_team',
  'expansion.plan_limit',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export const isChurnRisk = (kind: TaskKind) => kind.startsWith('churn_risk.');

export type SignalInputs = {
  accountName: string;
  /** The latest health score, and the best one of the healthDropDays days before it. */
  health: { score: number; day: string } | null;
  bestBefore: { score: number; day: string } | null;
  /** Usage events (support tickets excluded) of the last 30 days and the 30 before. */
  usage: { last30: number; prev30: number };
  seats: { used: number; bought: number | null };
  /** Milestones missed within the lookback. */
  missedMilestones: { name: string; missedOn: string }[];
  /** Teams (values of the team property) first seen within the lookback, on an account that was in use before it. */
  newTeams: string[];
  /** Plan-limit events within the lookback. */
  planLimitHits: number;
};

export type Signal = { kind: TaskKind; title: string; detail: string };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Every rule that holds, churn risks first. Thresholds are the workspace's (health_settings.signals). */
export function detectSignals(i: SignalInputs, s: HealthSettings['signals']): Signal[] {
  const out: Signal[] = [];
  const name = i.accountName;

  if (i.health && i.bestBefore && i.bestBefore.score - i.health.score >= s.healthDropPoints)
    out.push({
      kind: 'churn_risk.health_drop',
      title: `Health of ${name} fell from ${i.bestBefore.score} to ${i.health.score}`,
      detail: `The health score lost ${i.bestBefore.score - i.health.score} points between ${i.bestBefore.day} and ${i.health.day}.`,
    });

  // Integer comparison: last30 <= prev30 x (1 - percent/100), without floats.
  const { last30, prev30 } = i.usage;
  if (prev30 >= s.usageDeclineMinEvents && last30 * 100 <= prev30 * (100 - s.usageDeclinePercent)) {
    const fell = Math.round(((prev30 - last30) * 100) / prev30);
    out.push({
      kind: 'churn_risk.usage_decline',
      title: `Usage of ${name} fell ${fell}%`,
      detail: `${plural(last30, 'event')} in the last 30 days against ${prev30} in the 30 days before.`,
    });
  }

  if (i.missedMilestones.length) {
    const m = i.missedMilestones[0];
    out.push({
      kind: 'churn_risk.milestone_missed',
      title: `${name} missed the milestone "${m.name}"`,
      detail: `The window closed on ${m.missedOn} without the milestone being reached.`,
    });
  }

  const { used, bought } = i.seats;
  if (bought != null && bought > 0 && used * 100 >= bought * s.seatUsePercent)
    out.push({
      kind: 'expansion.seats',
      title: `${name} uses ${used} of ${plural(bought, 'seat')}`,
      detail: `${Math.round((used * 100) / bought)}% of the seats bought were used in the last 30 days (threshold ${s.seatUsePercent}%).`,
    });

  if (i.newTeams.length)
    out.push({
      kind: 'expansion.new_team',
      title: `New team${i.newTeams.length > 1 ? 's' : ''} using ${name}: ${i.newTeams.slice(0, 3).join(', ')}${i.newTeams.length > 3 ? '…' : ''}`,
      detail: `${plural(i.newTeams.length, 'team')} started using the product in the last ${s.lookbackDays} days.`,
    });

  if (i.planLimitHits >= s.planLimitHits)
    out.push({
      kind: 'expansion.plan_limit',
      title: `${name} hit its plan limit ${plural(i.planLimitHits, 'time')}`,
      detail: `Plan limits were reached ${plural(i.planLimitHits, 'time')} in the last ${s.lookbackDays} days: a bigger plan may fit.`,
    });
  return out;
}

/** One open task per account and kind: the key the database's partial unique index holds. */
export const dedupeKey = (kind: TaskKind, accountId: string) => `${kind}:${accountId}`;

/** Churn risks are due sooner than expansion openings. */
export function dueAt(kind: TaskKind, createdAt: Date, due: HealthSettings['taskDueDays']): Date {
  const days = isChurnRisk(kind) ? due.churnRisk : due.expansion;
  return new Date(createdAt.getTime() + days * 86_400_000);
}
