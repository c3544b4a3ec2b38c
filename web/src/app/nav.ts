import type { Role } from '../api/domain';

/** The screens in the navigation, and which roles need them (the API still decides what each sees). */
export type NavItem = { to: string; label: string; roles: Role[] | 'all' };

const SELLERS: Role[] = ['sdr_inbound', 'sdr_outbound', 'realtime_ae', 'esb_ae'];
const CLOSERS: Role[] = ['ae', 'realtime_ae', 'esb_ae', 'sales_engineer'];
const LEADERS: Role[] = ['admin', 'sales_ops', 'manager'];
const SDRS: Role[] = ['sdr_inbound', 'sdr_outbound'];
const SUCCESS: Role[] = ['csm', 'relationship_manager'];

export const NAV: NavItem[] = [
  { to: '/team', label: 'Team', roles: LEADERS },
  { to: '/queue', label: 'Queue', roles: [...LEADERS, ...SDRS] },
  { to: '/leads', label: 'Leads', roles: [...LEADERS, ...SELLERS] },
  { to: '/handoffs', label: 'Handoffs', roles: [...LEADERS, 'ae', 'realtime_ae', 'esb_ae'] },
  { to: '/duplicates', label: 'Duplicates', roles: [...LEADERS, ...SDRS] },
  { to: '/pipeline', label: 'Pipeline', roles: [...LEADERS, ...CLOSERS, 'sdr_inbound', 'sdr_outbound'] },
  { to: '/accounts', label: 'Accounts', roles: 'all' },
  { to: '/contacts', label: 'Contacts', roles: 'all' },
  { to: '/analytics', label: 'Analytics', roles: 'all' },
  { to: '/quotas', label: 'Quotas', roles: 'all' },
  { to: '/quotas/calibration', label: 'Calibration', roles: LEADERS },
  { to: '/plan', label: 'Capacity planner', roles: LEADERS },
  { to: '/success', label: 'Customer success', roles: [...LEADERS, ...SUCCESS] },
  { to: '/renewals', label: 'Renewals', roles: [...LEADERS, ...SUCCESS] },
  { to: '/retention', label: 'Retention', roles: [...LEADERS, ...SUCCESS] },
  { to: '/surveys', label: 'Buyer ratings', roles: 'all' },
  { to: '/milestones', label: 'Aha milestones', roles: ['admin', 'sales_ops', ...SUCCESS] },
  { to: '/comp', label: 'My comp', roles: [...SELLERS, ...CLOSERS, ...SUCCESS, 'manager'] },
  { to: '/comp/team', label: 'Team comp', roles: LEADERS },
  { to: '/comp/plans', label: 'Comp plans', roles: LEADERS },
  { to: '/comp/levels', label: 'Levels', roles: [...LEADERS, 'ae', 'realtime_ae', 'esb_ae'] },
  { to: '/comp/whatif', label: 'What-if', roles: LEADERS },
  { to: '/admin', label: 'Admin', roles: ['admin', 'sales_ops'] },
];

export function navFor(roles: Role[], home: string): NavItem[] {
  const items = NAV.filter((n) => n.roles === 'all' || n.roles.some((r) => roles.includes(r)));
  // The role's home comes first: it is where they work.
  return [...items.filter((n) => n.to === home), ...items.filter((n) => n.to !== home)];
}
