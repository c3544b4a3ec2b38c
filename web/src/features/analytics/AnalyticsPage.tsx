import '@mantine/charts/styles.css';
import { SimpleGrid, Text } from '@mantine/core';
import { useAccess } from '../../app/session';
import { ErrorState, PageLoader } from '../../components/ErrorState';
import { PageHeader } from '../../components/PageHeader';
import { AnalyticsControls } from './AnalyticsControls';
import { useFunnel } from './analytics.api';
import { BoundsCard } from './BoundsCard';
import { ConversionByRepChart, TrendChart, VelocityChart } from './Charts';
import { CoachingPanel } from './CoachingPanel';
import { FunnelPanel, KpiCards } from './FunnelPanel';
import { GroupTable, Leaderboard } from './GroupTable';
import { OpenDealsPanel } from './OpenDealsPanel';
import { useRangeParams } from './useRange';

/** The funnel for a period, within what the caller may see (the server decides: team, own row, or everything). */
export default function AnalyticsPage() {
  const r = useRangeParams();
  const access = useAccess();
  const report = useFunnel(r.range, r.groupBy);
  // The leaderboard always ranks reps, whatever the table is grouped by (same request when grouped by rep).
  const byRep = useFunnel(r.range, 'rep');
  const data = report.data;
  // Coaching across reps is for the people who coach (managers) and run the team (admins, sales ops).
  const coaches = access.isManager || access.canAdmin;
  return (
    <>
      <PageHeader
        title="Analytics"
        subtitle={data ? `${data.range.from} – ${data.range.to} · ${data.view === 'cohort' ? 'cohort view' : 'period view'}` : undefined}
      />
      <AnalyticsControls r={r} />
      {report.error ? <ErrorState error={report.error} what="these numbers" /> : null}
      {report.isPending ? <PageLoader /> : null}
      {data ? (
        <>
          <KpiCards metrics={data.total} />
          <SimpleGrid cols={{ base: 1, lg: data.benchmark ? 2 : 1 }} mb="md">
            <FunnelPanel metrics={data.total} title="Funnel" />
            {data.benchmark ? <FunnelPanel metrics={data.benchmark.metrics} title={data.benchmark.label} testId="benchmark" /> : null}
          </SimpleGrid>
          {data.groupBy !== 'none' ? <GroupTable report={data} search={r.search} /> : null}
          {byRep.data ? <Leaderboard rows={byRep.data.rows} search={r.search} /> : null}
          {coaches ? <CoachingPanel range={r.range} search={r.search} /> : null}
          <SimpleGrid cols={{ base: 1, lg: 2 }} mb="md">
            <ConversionByRepChart range={r.range} />
            <TrendChart range={r.range} groupBy={r.groupBy} periodEnd={r.periodChosen ? data.range.to : null} />
            <VelocityChart range={r.range} />
          </SimpleGrid>
          <OpenDealsPanel />
          <BoundsCard search={r.search} />
          <Text size="xs" c="dimmed">
            Period view counts each event in the period it happened; cohort view follows the leads created in the period to wherever they
            ended up. Figures in {data.currency}, days in {data.timezone}.
          </Text>
        </>
      ) : null}
    </>
  );
}
