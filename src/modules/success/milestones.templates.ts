import type { Rule } from './milestones.core.js';

/** A milestone to start from: the activation moments companies have published (DOMAIN.md §6). */
export type MilestoneTemplate = { key: string; name: string; description: string; windowDays: number; rule: Rule };

/** The 25 features of the HubSpot-style template: send `feature.used` with `feature` set to one of these. */
export const FEATURE_CATALOGUE = [
  'contacts',
  'companies',
  'deals',
  'tasks',
  'email_tracking',
  'email_templates',
  'sequences',
  'meetings',
  'live_chat',
  'chatbots',
  'forms',
  'landing_pages',
  'blog',
  'social',
  'ads',
  'workflows',
  'lists',
  'reports',
  'dashboards',
  'tickets',
  'knowledge_base',
  'quotes',
  'products',
  'calling',
  'integrations',
] as const;

export const MILESTONE_TEMPLATES: MilestoneTemplate[] = [
  {
    key: 'dropbox',
    name: 'One device, one file, one user',
    description: 'Dropbox: a device linked, a file uploaded and someone active. Send device.linked with device_id and file.uploaded.',
    windowDays: 60,
    rule: {
      all: [
        { label: 'Devices linked', event: ['device.linked'], measure: 'distinct_values', property: 'device_id', atLeast: 1 },
        { label: 'Files uploaded', event: ['file.uploaded'], measure: 'count', atLeast: 1 },
        { label: 'Active users', event: [], measure: 'distinct_users', atLeast: 1 },
      ],
    },
  },
  {
    key: 'slack',
    name: '2,000 messages across the team',
    description: 'Slack: the team exchanged 2,000 messages, whoever sent them. Send message.sent.',
    windowDays: 60,
    rule: { all: [{ label: 'Messages sent', event: ['message.sent'], measure: 'count', atLeast: 2000 }] },
  },
  {
    key: 'hubspot',
    name: '5 of 25 features used',
    description: `HubSpot: 5 distinct features of the catalogue of ${FEATURE_CATALOGUE.length} used. Send feature.used with feature set to one of: ${FEATURE_CATALOGUE.join(', ')}.`,
    windowDays: 60,
    rule: { all: [{ label: 'Features used', event: ['feature.used'], measure: 'distinct_values', property: 'feature', atLeast: 5 }] },
  },
  {
    key: 'twitter',
    name: 'Follows 30 people',
    description: 'Twitter: 30 distinct accounts followed. Send follow with followed_id.',
    windowDays: 60,
    rule: { all: [{ label: 'People followed', event: ['follow'], measure: 'distinct_values', property: 'followed_id', atLeast: 30 }] },
  },
];

export const TEMPLATE_KEYS = MILESTONE_TEMPLATES.map((t) => t.key) as [string, ...string[]];
