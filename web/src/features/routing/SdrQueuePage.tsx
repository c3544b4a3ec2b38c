import { Badge, Button, Group, Tabs, Text, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { get } from '../../api/client';
import { label } from '../../api/domain';
import type { Items } from '../../api/types';
import { useAccess, useSession } from '../../app/session';
import { StatusBadge } from '../../components/badges';
import { DataTable, type TableColumn } from '../../components/DataTable';
import { useFormat } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { useUsers } from '../../components/users';
import { type Direction, type QueueRow, routingKeys } from './routing.api';
import { age, relativeTime } from './time';

/**
 * The SDR's home: open leads to work, most urgent first, exactly as the API orders them
 * (first-touch SLA breached, then nearest deadline, then best score, then oldest).
 * Unassigned leads waiting in a queue show the queue's name.
 */
export default function SdrQueuePage() {
  const me = useSession();
  const access = useAccess();
  const fmt = useFormat();
  const navigate = useNavigate();
  const { name } = useUsers();
  const [params, setParams] = useSearchParams();
  const fallback: Direction = me.roles.includes('sdr_outbound') && !me.roles.includes('sdr_inbound') ? 'outbound' : 'inbound';
  const direction: Direction =
    params.get('direction') === 'outbound' || params.get('direction') === 'inbound' ? (params.get('direction') as Direction) : fallback;
  const q = useQuery({
    queryKey: routingKeys.queue(direction),
    queryFn: () => get<Items<QueueRow>>('/sdr/queue', { direction, limit: 200 }),
    refetchInterval: 60_000,
  });
  const now = Date.now();

  const columns: TableColumn<QueueRow>[] = [
    {
      key: 'lead',
      header: 'Lead',
      render: (r) => (
        <div>
          <Text size="sm" fw={500}>
            {r.company || [r.firstName, r.lastName].filter(Boolean).join(' ') || r.email || 'Lead'}
          </Text>
          <Text size="xs" c="dimmed">
            {[r.firstName, r.lastName].filter(Boolean).join(' ') || r.email}
          </Text>
        </div>
      ),
    },
    { key: 'score', header: 'Score', width: 70, render: (r) => (r.score == null ? <span className="rl-dimmed">—</span> : r.score) },
    {
      key: 'sla',
      header: 'First touch due',
      width: 150,
      render: (r) => {
        if (r.firstTouchAt)
          return (
            <Text size="sm" c="dimmed">
              touched {relativeTime(r.firstTouchAt, now)}
            </Text>
          );
        if (!r.firstTouchDueAt) return <span className="rl-dimmed">—</span>;
        return (
          <Tooltip label={fmt.dateTime(r.firstTouchDueAt)}>
            <Text size="sm" c={r.slaBreached ? 'red' : undefined} fw={r.slaBreached ? 600 : undefined} data-breached={r.slaBreached}>
              {r.slaBreached ? `late, due ${relativeTime(r.firstTouchDueAt, now)}` : relativeTime(r.firstTouchDueAt, now)}
            </Text>
          </Tooltip>
        );
      },
    },
    { key: 'age', header: 'Age', width: 70, render: (r) => age(r.createdAt, now) },
    { key: 'segment', header: 'Segment', width: 80, render: (r) => r.segment ?? '' },
    { key: 'source', header: 'Source', width: 150, render: (r) => `${label(r.sourceType)} · ${label(r.channel)}` },
    { key: 'status', header: 'Status', width: 110, render: (r) => <StatusBadge value={r.status} /> },
    {
      key: 'owner',
      header: 'Owner',
      width: 150,
      render: (r) =>
        r.ownerId ? (
          name(r.ownerId)
        ) : (
          <Badge variant="outline" color="gray" title="Unassigned, waiting in this queue">
            Queue: {r.queue ?? 'unassigned'}
          </Badge>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Lead queue"
        subtitle={
          access.readAll
            ? 'Open leads across the workspace, most urgent first'
            : access.isManager
              ? "Your team's open leads, most urgent first"
              : 'Your open leads, most urgent first'
        }
        actions={
          <Group gap="xs">
            <Button component={Link} to="/duplicates" variant="default">
              Duplicates
            </Button>
            <Button component={Link} to="/leads" variant="default">
              All leads
            </Button>
          </Group>
        }
      />
      <Tabs value={direction} onChange={(v) => v && setParams({ direction: v }, { replace: true })} mb="sm">
        <Tabs.List>
          <Tabs.Tab value="inbound">Inbound</Tabs.Tab>
          <Tabs.Tab value="outbound">Outbound</Tabs.Tab>
        </Tabs.List>
      </Tabs>
      <DataTable
        label="Lead queue"
        rows={q.data?.items ?? []}
        columns={columns}
        loading={q.isPending}
        error={q.error}
        onRowClick={(r) => navigate(`/leads/${r.id}`)}
        emptyText={`No open ${direction} leads: the queue is clear`}
      />
    </>
  );
}
