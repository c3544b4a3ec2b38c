import { Anchor, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { get } from '../../api/client';
import { useSession } from '../../app/session';
import { StatusBadge } from '../../components/badges';
import { DataTable, type TableColumn } from '../../components/DataTable';
import { QueryState } from '../../components/ErrorState';
import { todayIn, useFormat } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import type { Breaches } from './routing.api';
import { addDays, minutes, startOfDayIn } from './time';

type FirstTouch = Breaches['firstTouch'][number] & { id: string };
type HandoffBreach = Breaches['handoffs'][number];

/**
 * SLA breaches in a period (days in the workspace time zone): leads touched late (or not yet) and
 * handoffs answered late or escalated. Managers see their team's, sales ops everyone's.
 */
export default function BreachesPage() {
  const me = useSession();
  const fmt = useFormat();
  const tz = me.workspace.timezone;
  const [params, setParams] = useSearchParams();
  const to = params.get('to') ?? todayIn(tz);
  const from = params.get('from') ?? addDays(to, -29);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const q = useQuery({
    queryKey: ['routing', 'breaches', from, to],
    queryFn: () => get<Breaches>('/routing/breaches', { from: startOfDayIn(from, tz), to: startOfDayIn(addDays(to, 1), tz), limit: 500 }),
    enabled: valid,
  });
  const set = (k: 'from' | 'to', v: string) => setParams((p) => ({ ...Object.fromEntries(p), [k]: v }), { replace: true });

  const firstTouchColumns: TableColumn<FirstTouch>[] = [
    {
      key: 'lead',
      header: 'Lead',
      render: (r) => (
        <Anchor component={Link} to={`/leads/${r.leadId}`} size="sm">
          {r.company || r.email || 'Lead'}
        </Anchor>
      ),
    },
    { key: 'owner', header: 'Owner', render: (r) => r.ownerName ?? <span className="rl-dimmed">Unassigned</span> },
    { key: 'created', header: 'Created', render: (r) => fmt.dateTime(r.createdAt) },
    { key: 'due', header: 'Due', render: (r) => fmt.dateTime(r.dueAt) },
    {
      key: 'touched',
      header: 'First touch',
      render: (r) =>
        r.firstTouchAt ? (
          fmt.dateTime(r.firstTouchAt)
        ) : (
          <Text size="sm" c="red">
            not yet
          </Text>
        ),
    },
    { key: 'took', header: 'Took', render: (r) => minutes(r.minutesToFirstTouch) },
  ];
  const handoffColumns: TableColumn<HandoffBreach>[] = [
    {
      key: 'lead',
      header: 'Lead',
      render: (r) => (
        <Anchor component={Link} to={`/leads/${r.leadId}`} size="sm">
          Open lead
        </Anchor>
      ),
    },
    { key: 'ae', header: 'AE', render: (r) => r.aeName ?? '' },
    { key: 'status', header: 'Status', render: (r) => <StatusBadge value={r.status} /> },
    { key: 'handed', header: 'Handed', render: (r) => fmt.dateTime(r.handedAt) },
    { key: 'due', header: 'Due', render: (r) => fmt.dateTime(r.dueAt) },
    { key: 'accepted', header: 'Accepted', render: (r) => (r.acceptedAt ? fmt.dateTime(r.acceptedAt) : '') },
    { key: 'took', header: 'Took', render: (r) => minutes(r.minutesToAnswer) },
  ];

  return (
    <>
      <PageHeader
        title="SLA breaches"
        subtitle={`First touches and handoffs that missed their SLA (business hours, ${tz})`}
        actions={
          <Anchor component={Link} to="/team" size="sm">
            Back to the team
          </Anchor>
        }
      />
      <Group mb="md" align="flex-end">
        <TextInput
          label="From"
          type="date"
          value={from}
          onChange={(e) => set('from', e.currentTarget.value)}
          error={valid ? undefined : 'pick a range'}
        />
        <TextInput label="To" type="date" value={to} onChange={(e) => set('to', e.currentTarget.value)} />
      </Group>
      {valid ? (
        <QueryState query={q} what="the SLA breaches">
          {(b) => (
            <Stack gap="lg">
              <div>
                <Title order={4} mb="xs">
                  Late first touch ({b.firstTouch.length})
                </Title>
                <DataTable
                  label="Late first touches"
                  rows={b.firstTouch.map((r) => ({ ...r, id: r.leadId }))}
                  columns={firstTouchColumns}
                  emptyText="Every lead was touched in time"
                />
              </div>
              <div>
                <Title order={4} mb="xs">
                  Late or escalated handoffs ({b.handoffs.length})
                </Title>
                <DataTable
                  label="Late handoffs"
                  rows={b.handoffs}
                  columns={handoffColumns}
                  emptyText="Every handoff was answered in time"
                />
              </div>
            </Stack>
          )}
        </QueryState>
      ) : null}
    </>
  );
}
