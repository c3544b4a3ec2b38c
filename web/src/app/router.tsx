import { lazy, Suspense } from 'react';
import { createBrowserRouter, Navigate, useRouteError } from 'react-router';
import { ErrorState, PageLoader } from '../components/ErrorState';
import { LoginPage } from '../features/auth/LoginPage';
import { AppLayout, HomeRedirect } from './AppLayout';

// Screens load on first visit so the login page and each role's home stay light.
const LeadsPage = lazy(() => import('../features/leads/LeadsPage'));
const LeadPage = lazy(() => import('../features/leads/LeadPage'));
const PipelinePage = lazy(() => import('../features/pipeline/PipelinePage'));
const OpportunityPage = lazy(() => import('../features/pipeline/OpportunityPage'));
const AccountsPage = lazy(() => import('../features/accounts/AccountsPage'));
const AccountPage = lazy(() => import('../features/accounts/AccountPage'));
const ContactsPage = lazy(() => import('../features/accounts/ContactsPage'));
const TeamPage = lazy(() => import('../features/team/TeamPage'));
const AdminPage = lazy(() => import('../features/admin/AdminPage'));
const SdrQueuePage = lazy(() => import('../features/routing/SdrQueuePage'));
const HandoffInboxPage = lazy(() => import('../features/routing/HandoffInboxPage'));
const DuplicatesPage = lazy(() => import('../features/routing/DuplicatesPage'));
const BreachesPage = lazy(() => import('../features/routing/BreachesPage'));
const AnalyticsPage = lazy(() => import('../features/analytics/AnalyticsPage'));
const RepAnalyticsPage = lazy(() => import('../features/analytics/RepAnalyticsPage'));
const QuotasPage = lazy(() => import('../features/quotas/QuotasPage'));
const CalibrationPage = lazy(() => import('../features/quotas/CalibrationPage'));
const PlanPage = lazy(() => import('../features/quotas/PlanPage'));
const SuccessHomePage = lazy(() => import('../features/success/SuccessHomePage'));
const RenewalsPage = lazy(() => import('../features/success/RenewalsPage'));
const RetentionPage = lazy(() => import('../features/success/RetentionPage'));
const SurveysPage = lazy(() => import('../features/success/SurveysPage'));
const MilestonesPage = lazy(() => import('../features/success/MilestonesPage'));
const MyCompPage = lazy(() => import('../features/comp/MyCompPage'));
const TeamCompPage = lazy(() => import('../features/comp/TeamCompPage'));
const CompPlansPage = lazy(() => import('../features/comp/CompPlansPage'));
const LevelsPage = lazy(() => import('../features/comp/LevelsPage'));
const WhatIfPage = lazy(() => import('../features/comp/WhatIfPage'));
const NotFoundPage = lazy(() => import('./NotFoundPage'));

const screen = (Page: React.ComponentType) => (
  <Suspense fallback={<PageLoader />}>
    <Page />
  </Suspense>
);

function RouteError() {
  return <ErrorState error={useRouteError()} />;
}

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
  {
    path: '/',
    element: <AppLayout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <HomeRedirect /> },
      { path: 'leads', element: screen(LeadsPage) },
      { path: 'leads/:id', element: screen(LeadPage) },
      { path: 'pipeline', element: screen(PipelinePage) },
      { path: 'opportunities/:id', element: screen(OpportunityPage) },
      { path: 'accounts', element: screen(AccountsPage) },
      { path: 'accounts/:id', element: screen(AccountPage) },
      { path: 'contacts', element: screen(ContactsPage) },
      { path: 'team', element: screen(TeamPage) },
      { path: 'analytics', element: screen(AnalyticsPage) },
      { path: 'analytics/reps/:id', element: screen(RepAnalyticsPage) },
      { path: 'quotas', element: screen(QuotasPage) },
      { path: 'quotas/calibration', element: screen(CalibrationPage) },
      { path: 'plan', element: screen(PlanPage) },
      { path: 'admin', element: screen(AdminPage) },
      { path: 'queue', element: screen(SdrQueuePage) },
      { path: 'handoffs', element: screen(HandoffInboxPage) },
      { path: 'duplicates', element: screen(DuplicatesPage) },
      { path: 'breaches', element: screen(BreachesPage) },
      { path: 'success', element: screen(SuccessHomePage) },
      { path: 'renewals', element: screen(RenewalsPage) },
      { path: 'retention', element: screen(RetentionPage) },
      { path: 'surveys', element: screen(SurveysPage) },
      { path: 'milestones', element: screen(MilestonesPage) },
      { path: 'comp', element: screen(MyCompPage) },
      { path: 'comp/team', element: screen(TeamCompPage) },
      { path: 'comp/plans', element: screen(CompPlansPage) },
      { path: 'comp/plans/:key/:version', element: screen(CompPlansPage) },
      { path: 'comp/levels', element: screen(LevelsPage) },
      { path: 'comp/whatif', element: screen(WhatIfPage) },
      { path: 'home', element: <Navigate to="/" replace /> },
      { path: '*', element: screen(NotFoundPage) },
    ],
  },
]);
