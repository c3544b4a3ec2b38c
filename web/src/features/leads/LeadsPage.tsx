import { Button, Group, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { label } from '../../api/domain';
import type { Lead } from '../../api/types';
import { useAccess } from '../../app/session';
import { LightBadge } from '../../components/badges';
import { ErrorState } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { useUsers } from '../../components/users';
import { type Column, VirtualTable } from '../../components/VirtualTable';
import { LeadFilterBar } from './LeadFilterBar';
import { type LeadFilters, useLeadList } from './leads.api';
import { NewLeadModal } from './NewLeadModal';

const LIST_KEYS = ['status', 'sourceType', 'channel', 'segment'] as const;

/** Filters live in the address so back, reload and shared links keep them. */
function filtersFrom(params: URLSearchParams): LeadFilters {
  const list = (k: string) => (params.get(k) ?? '').split(',').filter(Boolean);
  const sort = params.get('sort');
  return {
    status: list('status'),
    sourceType: list('sourceType'),
    channel: list('channel'),
    segment: list('segment'),
    ownerId: params.get('owner') ?? 'any',
    q: params.get('q') ?? '',
    sort: sort === 'updatedAt' || sort === 'company' || sort === 'expectedArr' ? sort : 'createdAt',
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
  };
}

function paramsFrom(f: LeadFilters): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of LIST_KEYS) if (f[k].length) p.set(k, f[k].join(','));
  if (f.ownerId !== 'any') p.set('owner', f.ownerId);
  if (f.q) p.set('q', f.q);
  if (f.sort !== 'createdAt') p.set('sort', f.sort);
  if (f.order !== 'desc') p.set('order', f.order);
  return p;
}

export default function LeadsPage() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFrom(params), [params]);
  const navigate = useNavigate();
  const fmt = useFormat();
  const access = useAccess();
  const { users, name } = useUsers();
  const [creating, setCreating] = useState(false);
  const [search, setSearch] = useState(filters.q);
  const [debounced] = useDebouncedValue(search, 300);

  const update = useCallback(
    (patch: Partial<LeadFilters>) => setParams(paramsFrom({ ...filtersFrom(params), ...patch }), { replace: true }),
    [params, setParams],
  );
  useEffect(() => {
    if (debounced.trim() !== filters.q) update({ q: debounced.trim() });
  }, [debounced, filters.q, update]);

  const list = useLeadList(filters);
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const loadMore = useCallback(() => {
    if (list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
  }, [list]);

  const columns: Column<Lead>[] = [
    {
      key: 'company',
      header: 'Company',
      width: '2fr',
      sortKey: 'company',
      render: (l) => l.company || <span className="rl-dimmed">—</span>,
    },
    { key: 'name', header: 'Contact', width: '1.4fr', render: (l) => [l.firstName, l.lastName].filter(Boolean).join(' ') || l.email },
    { key: 'status', header: 'Status', width: '110px', render: (l) => <LightBadge value={l.status} /> },
    { key: 'source', header: 'Source', width: '120px', render: (l) => label(l.sourceType) },
    { key: 'channel', header: 'Channel', width: '120px', render: (l) => label(l.channel) },
    { key: 'segment', header: 'Segment', width: '80px', render: (l) => l.segment ?? '' },
    { key: 'owner', header: 'Owner', width: '1fr', render: (l) => name(l.ownerId) || <span className="rl-dimmed">Unassigned</span> },
    { key: 'arr', header: 'Expected ARR', width: '120px', sortKey: 'expectedArr', render: (l) => fmt.money(l.expectedArr) },
    { key: 'created', header: 'Created', width: '130px', sortKey: 'createdAt', render: (l) => fmt.date(l.createdAt) },
  ];

  const onSort = (key: string) =>
    update({ sort: key as LeadFilters['sort'], order: filters.sort === key && filters.order === 'desc' ? 'asc' : 'desc' });
  const people = access.readAll || access.isManager ? users.filter((u) => u.active) : [];

  return (
    <>
      <PageHeader
        title="Leads"
        subtitle={access.readAll ? 'Every lead in the workspace' : access.isManager ? "Your team's leads" : 'Your lead queue'}
        actions={<Button onClick={() => setCreating(true)}>New lead</Button>}
      />
      <LeadFilterBar filters={filters} search={search} onSearch={setSearch} onChange={update} people={people} />
      <Group justify="space-between" mb={6}>
        <Text size="xs" c="dimmed" data-testid="loaded-count">
          {list.isPending ? 'Loading…' : `${rows.length.toLocaleString()} loaded${list.hasNextPage ? ', scroll for more' : ''}`}
        </Text>
      </Group>
      {list.error ? (
        <ErrorState error={list.error} what="these leads" />
      ) : (
        <VirtualTable
          label="Leads"
          rows={rows}
          columns={columns}
          onRowClick={(l) => navigate(`/leads/${l.id}`)}
          hasMore={!!list.hasNextPage}
          loadingMore={list.isPending || list.isFetchingNextPage}
          onLoadMore={loadMore}
          sort={{ key: filters.sort, order: filters.order }}
          onSort={onSort}
          emptyText="No leads match these filters"
        />
      )}
      <NewLeadModal opened={creating} onClose={() => setCreating(false)} onCreated={(l) => navigate(`/leads/${l.id}`)} />
    </>
  );
}
