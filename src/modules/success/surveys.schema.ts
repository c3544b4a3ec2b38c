import { z } from 'zod';
import { PAGE_SIZE } from '../../platform/http/list.js';
import { csvEnum, isoDateTime } from '../../platform/http/zod-common.js';
import { SURVEY_STATUSES } from './surveys.core.js';

/** Shared by the API and the web app. Stages and people are checked against the workspace by the service. */
export const surveyListQuery = z.object({
  status: csvEnum(SURVEY_STATUSES).optional().describe('comma-separated statuses'),
  rating: csvEnum(['1', '2', '3', '4', '5'] as const)
    .optional()
    .describe('comma-separated ratings, e.g. 1,2'),
  repId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(PAGE_SIZE.max).default(PAGE_SIZE.default),
  cursor: z.string().max(500).optional(),
});
export type SurveyListQuery = z.infer<typeof surveyListQuery>;

export const leaderboardQuery = z.object({
  asOf: isoDateTime.optional().describe('scores as they stood at this moment (ratings recorded up to it); default now'),
});

export const settingsPut = z.strictObject({
  delayDays: z.number().int().min(1).max(730).describe('days after the close before the buyer is asked (90 by default)'),
  reminderDays: z.number().int().min(1).max(90).describe('days after the first email before the one reminder'),
  tokenDays: z.number().int().min(1).max(365).describe('days the links in an email stay valid'),
  threshold: z
    .union([z.string(), z.number()])
    .transform((v) => String(v).trim())
    .refine((v) => /^\d(\.\d{1,2})?$/.test(v) && Number(v) >= 1 && Number(v) <= 5, 'a rating from 1 to 5 with at most 2 decimals, e.g. 4.0')
    .describe('a rep averaging below this is low-rated'),
  minRatings: z.number().int().min(1).max(1000).describe('ratings a rep needs before the threshold applies'),
  alertStages: z
    .array(z.string().max(40))
    .max(50)
    .nullable()
    .describe('open stages that trigger a low-rating alert; null: from proposal on'),
  alertUserIds: z.array(z.uuid()).max(50).describe('executives alerted on top of customer success'),
});
export type SettingsInput = z.infer<typeof settingsPut>;

export const idParams = z.object({ id: z.uuid() });

/** The longest comment a buyer may leave (the public pages take their input unchecked and answer with pages). */
export const COMMENT_MAX = 2000;
