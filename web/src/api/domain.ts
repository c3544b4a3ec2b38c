/**
 * The domain's closed lists, shared with the server so the web app never drifts from the API:
 * the pure core modules have no server dependencies and bundle as plain data and functions.
 */

export {
  ACTIVITY_KINDS,
  CHANNELS,
  type Channel,
  LEAD_STATUSES,
  type LeadStatus,
  leadTransition,
  SOURCE_TYPES,
  type SourceType,
} from '../../../src/modules/crm/crm.core';
export { ROLES, type Role, SEGMENTS, type SegmentCode } from '../../../src/modules/org/org.core';
export { PERMISSIONS, type Permission } from '../../../src/platform/auth/principal';

/** Words people read for the codes the API uses. */
export const LABELS: Record<string, string> = {
  admin: 'Admin',
  sales_ops: 'Sales Ops',
  manager: 'Manager',
  sdr_inbound: 'Inbound SDR',
  sdr_outbound: 'Outbound SDR',
  ae: 'Account Executive',
  realtime_ae: 'Real-time AE',
  esb_ae: 'ESB AE',
  csm: 'CSM',
  relationship_manager: 'Relationship manager',
  sales_engineer: 'Sales engineer',
  enablement: 'Enablement',
  support: 'Support',
  seed: 'Seed (referral)',
  net: 'Net (inbound)',
  spear: 'Spear (outbound)',
  website: 'Website',
  signup: 'Sign-up',
  newsletter: 'Newsletter',
  chat: 'Chat',
  call: 'Call',
  referral: 'Referral',
  outbound_email: 'Outbound email',
  linkedin: 'LinkedIn',
  event: 'Event',
  partner: 'Partner',
  new: 'New',
  working: 'Working',
  qualified: 'Qualified',
  handed_off: 'Handed off',
  converted: 'Converted',
  disqualified: 'Disqualified',
  email: 'Email',
  meeting: 'Meeting',
  note: 'Note',
  task: 'Task',
  trialing: 'Trialing',
  active: 'Active',
  churned: 'Churned',
  cancelled: 'Cancelled',
};

/** `negotiation` -> `Negotiation`, `handed_off` -> `Handed off`, known codes by their label. */
export const label = (code: string | null | undefined): string => {
  if (!code) return '';
  return LABELS[code] ?? code.charAt(0).toUpperCase() + code.slice(1).replace(/_/g, ' ');
};

export const options = (codes: readonly string[]) => codes.map((c) => ({ value: c, label: label(c) }));

export const STATUS_COLORS: Record<string, string> = {
  new: 'blue',
  working: 'cyan',
  qualified: 'teal',
  handed_off: 'violet',
  converted: 'green',
  disqualified: 'gray',
  won: 'green',
  lost: 'red',
  active: 'green',
  trialing: 'blue',
  churned: 'red',
  cancelled: 'gray',
};
