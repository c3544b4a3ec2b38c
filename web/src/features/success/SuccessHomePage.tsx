import { Accordion, Card, Group, MultiSelect, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useAccess } from '../../app/session';
import { DataTable, type TableColumn } from '../../components/DataTable';
import { useFormat } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { useUsers } from '../../components/users';
import { HealthBadge, MilestoneBadge } from './health/HealthBadge';
import { HealthSettingsCard } from './health/HealthSettingsCard';
import { BAND_LABEL, type SuccessAccount, useSuccessAccounts, useTasks } from './health/health.api';
import { TaskTable } from './health/TaskTable';

const BAND_OPTIONS = [
  ...Object.entries(BAND_LABEL).map(([value, label]) => ({ value, label })),
  { value: 'unscored', label: 'Not scored' },
];
const SORTS = [
  { value: 'health', label: 'Worst health first' },
  { value: 'renewal', label: 'Next renewal first' },
  { value: 'arr', label: 'Highest ARR first' },
  { value: 'name', label: 'Name' },
];
const WITHIN = ['30', '60', '90', '120'].map((d) => ({ value: d, label: `${d} days` }));

/**
 * The CSM's home: their customers with health, milestone, renewal and open tasks (worst health first), and the
 * tasks the signals raised for them. A manager sees their teams', leaders everyone's (the server scopes).
 */
export default function SuccessHomePage() {
  const navigate = useNavigate();
  const access = useAccess();
  const fmt = useFormat();
  const { name } = useUsers();
  const [band, setBand] = useState<string[]>([]);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 300);
  const [within, setWithin] = useState<string | null>(null);
  const [sort, setSort] = useState('health');
  const list = useSuccessAccounts({ band, q, renewalWithinDays: within ?? '', sort });
  const tasks = useTasks();
  const leader = access.readAll || access.isManager;
  // The settings load only once opened: most visits never need them.
  const [settingsOpen, setSettingsOpen] = useState<string | null>(null);

  const renewal = (a: SuccessAccount) => {
    if (!a.nextRenewal) return '—';
    const d = a.daysToRenewal!;
    const when = d < 0 ? `overdue ${-d} d` : d === 0 ? 'today' : `in ${d} d`;
    return (
      <Text size="sm" c={d < 0 ? 'red' : d <= 30 ? 'orange' : undefined}>
        {fmt.day(a.nextRenewal)} · {when}
      </Text>
    );
  };
  const columns: TableColumn<SuccessAccount>[] = [
    {
      key: 'name',
      header: 'Account',
      render: (a) => (
        <Text size="sm" fw={500}>
          {a.name}
        </Text>
      ),
    },
    { key: 'arr', header: 'ARR', width: 120, render: (a) => fmt.money(a.arr) },
    { key: 'health', header: 'Health', width: 170, render: (a) => <HealthBadge health={a.health} /> },
    { key: 'milestone', header: 'Milestone', width: 110, render: (a) => <MilestoneBadge milestone={a.milestone} /> },
    { key: 'renewal', header: 'Next renewal', width: 190, render: renewal },
    { key: 'tasks', header: 'Open tasks', width: 100, render: (a) => (a.openTasks ? <Text fw={600}>{a.openTasks}</Text> : '0') },
    ...(leader ? [{ key: 'csm', header: 'CSM', render: (a: SuccessAccount) => name(a.csmId) || '—' }] : []),
  ];

  return (
    <>
      <PageHeader title="Customer success" subtitle="Health, milestones, renewals and the tasks signals raised, worst health first" />
      <Stack gap="md">
        <Card withBorder component="section" aria-label="My tasks">
          <Title order={5} mb="xs">
            Tasks to do
          </Title>
          <TaskTable
            label="Open tasks"
            rows={tasks.rows}
            loading={tasks.query.isPending}
            error={tasks.query.error}
            hasMore={tasks.hasMore}
            onLoadMore={tasks.loadMore}
          />
        </Card>
        <Card withBorder component="section" aria-label="Customers">
          <Group gap="xs" mb="sm" align="flex-end">
            <TextInput
              size="xs"
              label="Search"
              placeholder="Account name"
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              w={220}
              maxLength={100}
            />
            <MultiSelect size="xs" label="Health" placeholder="Any" data={BAND_OPTIONS} value={band} onChange={setBand} w={240} clearable />
            <Select
              size="xs"
              label="Renewal within"
              placeholder="Any time"
              data={WITHIN}
              value={within}
              onChange={setWithin}
              clearable
              w={140}
            />
            <Select
              size="xs"
              label="Sort"
              data={SORTS}
              value={sort}
              onChange={(v) => setSort(v ?? 'health')}
              w={190}
              allowDeselect={false}
            />
          </Group>
          <DataTable
            label="Accounts"
            rows={list.rows}
            loading={list.query.isPending}
            error={list.query.error}
            hasMore={list.hasMore}
            loadingMore={list.loadingMore}
            onLoadMore={list.loadMore}
            onRowClick={(a) => navigate(`/accounts/${a.id}?tab=success`)}
            emptyText="No customers match"
            columns={columns}
          />
        </Card>
        {access.canAdmin ? (
          <Accordion variant="contained" value={settingsOpen} onChange={setSettingsOpen}>
            <Accordion.Item value="health-settings">
              <Accordion.Control>Health score settings</Accordion.Control>
              <Accordion.Panel>{settingsOpen ? <HealthSettingsCard /> : null}</Accordion.Panel>
            </Accordion.Item>
          </Accordion>
        ) : null}
      </Stack>
    </>
  );
}
