import { Group, Select, TextInput } from '@mantine/core';
import { useNavigate } from 'react-router';
import { DataTable } from '../../components/DataTable';
import { useFormat } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { useTeams } from '../../components/users';
import { useAttainment } from '../quotas/quotas.api';
import { usePeriodParams } from '../quotas/usePeriod';
import { useSummary } from './comp.api';

/** Team comp (managers, sales ops): each rep's totals and new-ARR attainment for the period; a row opens their statement. */
export default function TeamCompPage() {
  const f = useFormat();
  const navigate = useNavigate();
  const { period, debouncedPeriod, teamId, set } = usePeriodParams();
  const teams = useTeams();
  const summary = useSummary(debouncedPeriod, teamId || undefined);
  const attainment = useAttainment(debouncedPeriod, teamId);
  const attained = new Map((attainment.data?.rows ?? []).filter((r) => r.metric === 'new_arr').map((r) => [r.userId, r]));
  const rows = (summary.data?.items ?? []).map((r) => ({ ...r, id: r.userId, quota: attained.get(r.userId) }));
  return (
    <>
      <PageHeader
        title="Team comp"
        subtitle="What each rep is paid for the period and how far they are to quota. Click a rep for their statement."
      />
      <Group mb="md" align="flex-end">
        <TextInput label="Period" value={period} onChange={(e) => set('period', e.currentTarget.value)} w={200} />
        <Select
          label="Team"
          placeholder="Everyone I can see"
          clearable
          data={(teams.data?.items ?? []).map((t) => ({ value: t.id, label: t.name }))}
          value={teamId || null}
          onChange={(v) => set('teamId', v)}
          w={240}
        />
      </Group>
      <DataTable
        label="Team comp"
        rows={rows}
        loading={summary.isPending}
        error={summary.error}
        emptyText="No comp lines in this period"
        onRowClick={(r) => navigate(`/comp?repId=${r.userId}&period=${encodeURIComponent(debouncedPeriod)}`)}
        columns={[
          { key: 'name', header: 'Rep', render: (r) => r.name },
          { key: 'payable', header: 'Payable', render: (r) => f.exactMoney(r.payable) },
          { key: 'earning', header: 'Earnings', render: (r) => f.exactMoney(r.byKind.earning ?? '0') },
          { key: 'hold', header: 'Held', render: (r) => f.exactMoney(r.byKind.hold ?? '0') },
          { key: 'clawback', header: 'Clawbacks', render: (r) => f.exactMoney(r.byKind.clawback ?? '0') },
          {
            key: 'attainment',
            header: 'New ARR attainment',
            render: (r) =>
              r.quota?.attainment != null
                ? `${(Number(r.quota.attainment) * 100).toFixed(0)}% (${f.money(r.quota.actual)} of ${f.money(r.quota.rampedQuota)})`
                : '—',
          },
        ]}
      />
    </>
  );
}
