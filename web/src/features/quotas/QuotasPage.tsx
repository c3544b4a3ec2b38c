import '@mantine/charts/styles.css';
import { Autocomplete, Group, Select, Text } from '@mantine/core';
import { useAccess } from '../../app/session';
import { ErrorState, PageLoader } from '../../components/ErrorState';
import { PageHeader } from '../../components/PageHeader';
import { useTeams } from '../../components/users';
import { recentQuarters } from '../analytics/analytics.format';
import { AttainmentChart } from './AttainmentChart';
import { AttainmentTable, TeamRollups } from './AttainmentTable';
import { SetQuotaCard } from './QuotaEditors';
import { useAttainment } from './quotas.api';
import { RampCard } from './RampCard';
import { usePeriodParams } from './usePeriod';

const ALL = 'all';

/** Quotas and live attainment for a period, within what the caller may see (the server scopes: workspace, team, own row). */
export default function QuotasPage() {
  const access = useAccess();
  const p = usePeriodParams();
  const leads = access.writeAll || access.isManager || access.readAll;
  const teams = useTeams();
  const report = useAttainment(p.debouncedPeriod, p.teamId);
  const data = report.data;
  return (
    <>
      <PageHeader
        title="Quotas"
        subtitle={data ? `${data.period.label}: ${data.period.start} – ${data.period.end} · ramp ${data.ramp.join('/')}%` : undefined}
      />
      <Group gap="sm" align="flex-end" mb="md" wrap="wrap">
        <Autocomplete
          size="xs"
          label="Period"
          data={recentQuarters(p.defaultPeriod)}
          value={p.period}
          onChange={(v) => p.set('period', v)}
          w={140}
          description="e.g. 2026-Q3, 2026-07, 2026"
        />
        {leads && teams.data ? (
          <Select
            size="xs"
            label="Team"
            data={[{ value: ALL, label: 'All teams' }, ...teams.data.items.map((t) => ({ value: t.id, label: t.name }))]}
            value={p.teamId || ALL}
            onChange={(v) => p.set('teamId', v === ALL ? null : v)}
            allowDeselect={false}
            w={200}
          />
        ) : null}
      </Group>
      {report.error ? <ErrorState error={report.error} what="these quotas" /> : null}
      {report.isPending ? <PageLoader /> : null}
      {data && !report.error ? (
        <>
          <AttainmentTable report={data} />
          <AttainmentChart rows={data.rows} />
          <TeamRollups report={data} />
        </>
      ) : null}
      <SetQuotaCard period={data?.period.label ?? p.period} />
      {access.canAdmin ? <RampCard /> : null}
      {data ? (
        <Text size="xs" c="dimmed">
          Actuals are live (deals won a second ago count); attainment is actual over the ramped quota. Figures in {data.currency}, days in{' '}
          {data.timezone}.
        </Text>
      ) : null}
    </>
  );
}
