import { Anchor, Badge, Card, Group, Select, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { DataTable } from '../../../components/DataTable';
import { useFormat } from '../../../components/format';
import { type AccountMilestoneItem, type Milestone, STATUS_COLOR, useAccountMilestones } from './milestones.api';

const ALL = 'all';

/** Accounts and where they stand against their milestone (the caller's accounts only), soonest window end first. */
export function AccountsCard({ milestones }: { milestones: Milestone[] }) {
  const [status, setStatus] = useState(ALL);
  const [milestoneId, setMilestoneId] = useState(ALL);
  const q = useAccountMilestones({ status: status === ALL ? '' : status, milestoneId: milestoneId === ALL ? '' : milestoneId });
  const f = useFormat();
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card withBorder padding="md" mb="md" component="section" aria-label="Accounts by milestone">
      <Group justify="space-between" align="flex-end" mb="xs">
        <Text fw={600}>Accounts</Text>
        <Group gap="xs">
          <Select
            size="xs"
            label="Status"
            data={[
              { value: ALL, label: 'Any status' },
              ...(['pending', 'reached', 'missed'] as const).map((s) => ({ value: s, label: s })),
            ]}
            value={status}
            onChange={(v) => setStatus(v ?? ALL)}
            allowDeselect={false}
            w={140}
          />
          <Select
            size="xs"
            label="Milestone"
            data={[{ value: ALL, label: 'Any milestone' }, ...milestones.map((m) => ({ value: m.id, label: m.name }))]}
            value={milestoneId}
            onChange={(v) => setMilestoneId(v ?? ALL)}
            allowDeselect={false}
            w={220}
          />
        </Group>
      </Group>
      <DataTable<AccountMilestoneItem>
        label="Accounts and their milestone"
        rows={rows}
        loading={q.isPending}
        error={q.error}
        hasMore={q.hasNextPage}
        loadingMore={q.isFetchingNextPage}
        onLoadMore={() => void q.fetchNextPage()}
        emptyText="No account measured yet"
        columns={[
          {
            key: 'account',
            header: 'Account',
            render: (r) => (
              <Anchor component={Link} to={`/accounts/${r.id}`} size="sm">
                {r.accountName}
              </Anchor>
            ),
          },
          { key: 'milestone', header: 'Milestone', render: (r) => r.milestoneName },
          {
            key: 'status',
            header: 'Status',
            render: (r) => (
              <Badge size="sm" variant="light" color={STATUS_COLOR[r.status]}>
                {r.status}
              </Badge>
            ),
          },
          { key: 'progress', header: 'Progress', render: (r) => r.progress.map((p) => `${p.label} ${p.value}/${p.target}`).join(' · ') },
          { key: 'window', header: 'Window', render: (r) => `${f.date(r.windowStart)} – ${f.date(r.windowEnd)}` },
          { key: 'reached', header: 'Reached', render: (r) => f.dateTime(r.reachedAt) },
        ]}
      />
    </Card>
  );
}
