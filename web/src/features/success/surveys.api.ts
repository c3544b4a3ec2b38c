import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, put } from '../../api/client';

/** The JSON of /api/v1/surveys* (timestamps as ISO strings). */
export const SURVEY_STATUSES = ['scheduled', 'sent', 'reminded', 'rated', 'unsubscribed', 'skipped'] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];

export type SurveyRow = {
  id: string;
  opportunityId: string;
  opportunityName: string | null;
  accountId: string | null;
  accountName: string | null;
  repId: string | null;
  repName: string | null;
  buyerEmail: string | null;
  status: SurveyStatus;
  rating: number | null;
  comment: string | null;
  skipReason: string | null;
  lastError: string | null;
  closedAt: string | null;
  sendAt: string;
  sentAt: string | null;
  remindedAt: string | null;
  ratedAt: string | null;
};

export type LeaderRow = {
  userId: string;
  name: string;
  teamName: string | null;
  /** Two decimals, truncated; ratingSum / count is the exact average. */
  average: string;
  ratingSum: number;
  count: number;
  fiveStar: number;
  belowThreshold: boolean;
  lastRatedAt: string;
};
export type Leaderboard = { asOf: string; threshold: string; minRatings: number; reps: LeaderRow[] };

export type SmtpStatus = { configured: true; server: string } | { configured: false; message: string };
export type SurveySettings = {
  delayDays: number;
  reminderDays: number;
  tokenDays: number;
  threshold: string;
  minRatings: number;
  alertStages: string[];
  alertStagesDefault: boolean;
  defaultAlertStages: string[];
  openStages: string[];
  alertUserIds: string[];
  smtp: SmtpStatus;
  updatedAt: string | null;
};
export type SettingsInput = Omit<
  SurveySettings,
  'alertStages' | 'alertStagesDefault' | 'defaultAlertStages' | 'openStages' | 'smtp' | 'updatedAt' | 'threshold'
> & { threshold: string; alertStages: string[] | null };

export const STATUS_COLOR: Record<SurveyStatus, string> = {
  scheduled: 'gray',
  sent: 'blue',
  reminded: 'cyan',
  rated: 'teal',
  unsubscribed: 'orange',
  skipped: 'gray',
};

export const RATING_LABELS: Record<number, string> = { 1: 'Very poor', 2: 'Poor', 3: 'Okay', 4: 'Good', 5: 'Excellent' };

export function useLeaderboard() {
  return useQuery({ queryKey: ['surveys', 'leaderboard'], queryFn: () => get<Leaderboard>('/surveys/leaderboard'), retry: false });
}

export function useSurveySettings(enabled: boolean) {
  return useQuery({ queryKey: ['surveys', 'settings'], queryFn: () => get<SurveySettings>('/surveys/settings'), enabled, retry: false });
}

export function useSaveSurveySettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: SettingsInput) => put<SurveySettings>('/surveys/settings', input),
    onSuccess: (saved) => {
      qc.setQueryData(['surveys', 'settings'], saved);
      void qc.invalidateQueries({ queryKey: ['surveys'] });
    },
  });
}

export function useResend() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => post<SurveyRow>(`/surveys/${id}/resend`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['surveys', 'list'] }),
  });
}
