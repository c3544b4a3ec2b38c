import { useQuery } from '@tanstack/react-query';
import type { Criterion } from '../../../../src/modules/routing/scorecard.core';
import { get } from '../../api/client';
import type { Channel, Role, SegmentCode, SourceType } from '../../api/domain';
import type { Items } from '../../api/types';

/**
 * Shapes of the routing, qualification, handoff and notification API (issue 3), and the queries the
 * screens share. The scorecard math is the server's own pure core, so the live score never drifts.
 */
export { type Criterion, maxScoreOf, type ScoreOption, scoreLead } from '../../../../src/modules/routing/scorecard.core';

export type Direction = 'inbound' | 'outbound';

export type QueueRow = {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  segment: SegmentCode | null;
  sourceType: SourceType;
  channel: Channel;
  direction: Direction | null;
  status: string;
  score: number | null;
  qualified: boolean | null;
  ownerId: string | null;
  queue: string | null;
  needsReview: boolean;
  createdAt: string;
  firstTouchAt: string | null;
  firstTouchDueAt: string | null;
  slaBreached: boolean;
};

export type Conditions = {
  segments?: SegmentCode[];
  sourceTypes?: SourceType[];
  channels?: Channel[];
  countries?: string[];
  employeesMin?: number;
  employeesMax?: number;
  existingAccount?: boolean;
};
export type PoolSpec = { roles: Role[]; segment?: SegmentCode | null; teamId?: string | null };
export type RuleAction =
  | { type: 'account_owner' }
  | { type: 'pool'; pool: PoolSpec }
  | { type: 'queue'; queue: string }
  | { type: 'user'; userId: string };
export type Rule = { id?: string; name: string; enabled: boolean; conditions: Conditions; action: RuleAction };
export type RuleStage = 'intake' | 'handoff';

export type ChannelRule = { channel: Channel; sourceType: SourceType; direction: Direction };
export type BusinessCalendar = { days: number[]; start: string; end: string; holidays: string[] };
export type RoutingSettings = {
  fallbackQueue: string;
  channelRules: ChannelRule[];
  businessCalendar: BusinessCalendar;
  firstTouchSlaMinutes: number;
  handoffSlaMinutes: number;
  slaWarningPercent: number;
  webFormKey?: string;
  webhookUrl?: string | null;
  updatedAt: string;
};
export type RoutingConfig = { settings: RoutingSettings; intakeRules: Rule[]; handoffRules: Rule[] };

export type CheckedRule = { ruleId: string; name: string; matched: boolean; reasons: string[] };
export type Decision =
  | { kind: 'user'; userId: string; ruleId: string; explanation: CheckedRule[] }
  | { kind: 'pool'; pool: PoolSpec; ruleId: string; explanation: CheckedRule[] }
  | { kind: 'queue'; queue: string; ruleId: string | null; explanation: CheckedRule[] };
export type PoolMember = { id: string; capacity: number; openLoad: number; outOfOfficeUntil: string | null; assigned: number };
export type Preview = {
  classification: {
    segment: SegmentCode | null;
    sourceType: SourceType;
    direction: Direction;
    existingAccount: { id: string; ownerId: string | null } | null;
  };
  decision: Decision;
  pick: { members: PoolMember[]; ok: boolean; userId?: string; skipped: { id: string; why: string }[] } | null;
};

export type Scorecard = { segment: SegmentCode; threshold: number; criteria: Criterion[]; updatedAt: string | null };
export type ScoreOutcome = {
  score: number;
  maxScore: number;
  threshold: number;
  qualified: boolean;
  reasons: string[];
  unanswered: string[];
};
export type Qualification = ScoreOutcome & {
  id: number;
  segment: SegmentCode;
  answers: Record<string, string>;
  actorId: string | null;
  actorName: string | null;
  createdAt: string;
};

export type HandoffStatus = 'pending' | 'accepted' | 'sent_back' | 'escalated';
export type HandoffRow = {
  id: string;
  status: HandoffStatus;
  leadId: string;
  opportunityId: string | null;
  sdrId: string | null;
  sdrName: string | null;
  aeId: string | null;
  aeName: string | null;
  handedAt: string;
  warnAt: string;
  dueAt: string;
  acceptedAt: string | null;
  sentBackReason: string | null;
  overdue: boolean;
  company: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  segment: SegmentCode | null;
  score: number | null;
  amount: string | null;
  opportunityName: string | null;
};

export type ReviewRow = {
  id: string;
  email: string | null;
  company: string | null;
  firstName: string | null;
  lastName: string | null;
  channel: Channel;
  status: string;
  createdAt: string;
  duplicateOfId: string;
  duplicateOfStatus: string;
  duplicateOfCompany: string | null;
  duplicateOfCreatedAt: string;
  duplicateOfReason: string | null;
};

export type Notice = {
  id: number;
  kind: string;
  title: string;
  body: string | null;
  recordType: string | null;
  recordId: string | null;
  readAt: string | null;
  createdAt: string;
};

export type Breaches = {
  firstTouch: {
    leadId: string;
    company: string | null;
    email: string | null;
    ownerId: string | null;
    ownerName: string | null;
    createdAt: string;
    dueAt: string;
    firstTouchAt: string | null;
    minutesToFirstTouch: string | number;
  }[];
  handoffs: {
    id: string;
    leadId: string;
    aeId: string | null;
    aeName: string | null;
    status: HandoffStatus;
    handedAt: string;
    dueAt: string;
    acceptedAt: string | null;
    minutesToAnswer: string | number;
  }[];
};

export const routingKeys = {
  config: ['routing', 'config'] as const,
  queue: (direction: Direction) => ['routing', 'queue', direction] as const,
  scorecard: (segment: string) => ['scorecards', segment] as const,
  qualification: (leadId: string) => ['leads', 'qualification', leadId] as const,
  pendingHandoffs: ['handoffs', 'pending'] as const,
  leadHandoffs: (leadId: string) => ['handoffs', 'lead', leadId] as const,
  review: ['leads', 'review'] as const,
  unread: ['notifications', 'unread'] as const,
  recentNotices: ['notifications', 'recent'] as const,
};

export function useRoutingConfig() {
  return useQuery({ queryKey: routingKeys.config, queryFn: () => get<RoutingConfig>('/routing/config') });
}

export function useScorecard(segment: string | null | undefined) {
  return useQuery({
    queryKey: routingKeys.scorecard(segment ?? ''),
    queryFn: () => get<Scorecard>(`/scorecards/${segment}`),
    enabled: !!segment,
  });
}

/** Pending handoffs in the caller's scope: the AE inbox and its count in the navigation share this cache. */
export function usePendingHandoffs(enabled = true) {
  return useQuery({
    queryKey: routingKeys.pendingHandoffs,
    queryFn: () => get<Items<HandoffRow>>('/handoffs', { status: 'pending', limit: 500 }),
    enabled,
    refetchInterval: 30_000,
  });
}

export function useReviewList(enabled = true) {
  return useQuery({
    queryKey: routingKeys.review,
    queryFn: () => get<Items<ReviewRow>>('/leads/review', { limit: 200 }),
    enabled,
    refetchInterval: 60_000,
  });
}

/** Where a notification's record lives in the app. */
export function recordPath(recordType: string | null, recordId: string | null): string | null {
  if (!recordId) return null;
  const base: Record<string, string> = { lead: '/leads', opportunity: '/opportunities', account: '/accounts' };
  return recordType && base[recordType] ? `${base[recordType]}/${recordId}` : null;
}
