import { Group, SegmentedControl, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { SEGMENTS } from '../../api/domain';
import type { Account } from '../../api/types';
import { useAccess } from '../../app/session';
import { DataTable } from '../../components/DataTable';
import { useFormat } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { usePagedList } from '../../components/paged';
import { useUsers } from '../../components/users';

export default function AccountsPage() {
  const navigate = useNavigate();
  const access = useAccess();
  const fmt = useFormat();
  const { name } = useUsers();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [segment, setSegment] = useState<string | null>(null);
  const [whose, setWhose] = useState('scope');
  const list = usePagedList<Account>(['accounts', 'list'], '/accounts', {
    q: q || undefined,
    segment: segment ?? undefined,
    ownerId: whose === 'owner' ? 'me' : undefined,
    csmId: whose === 'csm' ? 'me' : undefined,
    sort: 'name',
    order: 'asc',
  });

  return (
    <>
      <PageHeader
        title="Accounts"
        subtitle={access.readAll ? 'Every customer and prospect company' : 'The companies you and your team look after'}
      />
      <Group gap="xs" mb="sm" align="flex-end">
        <TextInput
          size="xs"
          label="Search"
          placeholder="Name or domain"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={240}
          maxLength={100}
        />
        <Select size="xs" label="Segment" placeholder="Any" data={[...SEGMENTS]} value={segment} onChange={setSegment} clearable w={120} />
        <SegmentedControl
          size="xs"
          value={whose}
          onChange={setWhose}
          data={[
            { value: 'scope', label: access.readAll ? 'All' : 'All I can see' },
            { value: 'owner', label: 'I own' },
            { value: 'csm', label: "I'm CSM" },
          ]}
        />
      </Group>
      <Text size="xs" c="dimmed" mb={4}>
        {list.rows.length} shown{list.hasMore ? ', more available' : ''}
      </Text>
      <DataTable
        label="Accounts"
        rows={list.rows}
        loading={list.query.isPending}
        error={list.query.error}
        hasMore={list.hasMore}
        loadingMore={list.loadingMore}
        onLoadMore={list.loadMore}
        onRowClick={(a) => navigate(`/accounts/${a.id}`)}
        emptyText="No accounts match"
        columns={[
          {
            key: 'name',
            header: 'Name',
            render: (a) => (
              <Text size="sm" fw={500}>
                {a.name}
              </Text>
            ),
          },
          { key: 'domain', header: 'Domain', render: (a) => a.domain },
          { key: 'segment', header: 'Segment', render: (a) => a.segment },
          { key: 'employees', header: 'Employees', render: (a) => a.employees?.toLocaleString() },
          { key: 'country', header: 'Country', render: (a) => a.country },
          { key: 'owner', header: 'AE', render: (a) => name(a.ownerId) },
          { key: 'csm', header: 'CSM', render: (a) => name(a.csmId) },
          { key: 'created', header: 'Created', render: (a) => fmt.date(a.createdAt) },
        ]}
      />
    </>
  );
}
