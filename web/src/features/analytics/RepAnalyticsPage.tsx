import '@mantine/charts/styles.css';
import { Anchor, Badge, Button, Card, Group, List, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { label } from '../../api/domain';
import { useAccess } from '../../app/session';
import { StatusBadge } from '../../components/badges';
import { DataTable } from '../../components/DataTable';
import { ErrorState, PageLoader } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { AnalyticsControls } from './AnalyticsControls';
import { type DrillRecord, type Insight, type Range, useCoaching, useFunnel, useRecords } from './analytics.api';
import { DEFAULT_MIN_CASES, MinCasesHint, MinCasesInput } from './CoachingPanel';
import { FunnelPanel, KpiCards } from './FunnelPanel';
import { useRangeParams } from './useRange';

const DIRECTION: Record<string, { text: string; color: string }> = {
  closing: { text: 'gap closing', color: 'teal' },
  widening: { text: 'gap widening', color: 'red' },
  steady: { text: 'steady', color: 'gray' },
};

/** One rep: their funnel beside the team's, ranked coaching insights, and the deals behind each number. */
export default function RepAnalyticsPage() {
  const { id = '' } = useParams();
  const r = useRangeParams();
  const access = useAccess();
  const [minN, setMinN] = useState(DEFAULT_MIN_CASES);
  const [measure, setMeasure] = useState<string | null>(null);
  const mine = useFunnel(r.range, 'none', id);
  // A rep gets their team's totals as `benchmark`; a manager or admin compares with everything they may see.
  const scopeTotal = useFunnel(r.range, 'none');
  const coaching = useCoaching(r.range, id, minN);

  if (mine.error) return <ErrorState error={mine.error} what="this rep's numbers" />;
  if (mine.isPending) return <PageLoader />;
  const report = mine.data;
  const compare =
    report.benchmark ??
    (scopeTotal.data && !(access.userId === id && !access.isManager && !access.readAll)
      ? { label: access.readAll ? 'Everyone' : 'Team', metrics: scopeTotal.data.total }
      : null);
  const repName = coaching.data?.rep.name ?? 'Rep';
  const m = report.total;
  const drill = (key: string, text: string, n: number) => (
    <Button variant={measure === key ? 'light' : 'default'} size="xs" onClick={() => setMeasure(key)} aria-label={`Show ${text}`}>
      {text}: {n}
    </Button>
  );

  return (
    <>
      <PageHeader
        title={repName}
        subtitle={`${report.range.from} – ${report.range.to}${coaching.data?.rep.role ? ` · ${label(coaching.data.rep.role)}` : ''}`}
        actions={
          <Button component={Link} to={`/analytics${r.search}`} variant="default" size="xs">
            Back to analytics
          </Button>
        }
      />
      <AnalyticsControls r={r} withGroupBy={false} />
      <KpiCards metrics={m} />
      <FunnelPanel metrics={m} title={repName} compare={compare} testId="rep-funnel" />
      <Group gap="xs" my="md" data-testid="rep-numbers">
        {drill('leads', 'Leads', m.counts.leads)}
        {drill('opportunities', 'Opportunities', m.counts.opportunities)}
        {drill('customers', 'Customers', m.counts.customers)}
        {drill('lost', 'Lost', m.counts.lost)}
      </Group>

      <Card withBorder padding="md" mb="md" component="section" aria-label="Coaching">
        <Group justify="space-between" align="flex-end" mb="xs" wrap="nowrap">
          <div>
            <Text fw={600}>Coaching</Text>
            <MinCasesHint minN={minN} />
          </div>
          <MinCasesInput value={minN} onChange={setMinN} />
        </Group>
        {coaching.error ? <ErrorState error={coaching.error} what="this rep's coaching" /> : null}
        {coaching.isPending ? <PageLoader /> : null}
        {coaching.data ? (
          <Stack gap="sm">
            <Text size="xs" c="dimmed">
              Compared with {coaching.data.peers.length} comparable rep{coaching.data.peers.length === 1 ? '' : 's'} (same role and segment)
              over whole funnels: the segment, source and channel filters do not apply here.
            </Text>
            {coaching.data.insights.length === 0 ? (
              <Text size="sm" c="dimmed">
                No clear strength or gap in this period.
              </Text>
            ) : (
              coaching.data.insights.map((i) => (
                <InsightCard key={i.metric} insight={i} onShowDeals={() => setMeasure(i.measure)} active={measure === i.measure} />
              ))
            )}
            {coaching.data.inconclusive.length ? (
              <Text size="xs" c="dimmed">
                Not conclusive: {coaching.data.inconclusive.map((x) => `${METRIC_NAMES[x.metric] ?? x.metric} (${x.reason})`).join('; ')}
              </Text>
            ) : null}
          </Stack>
        ) : null}
      </Card>

      {measure ? <Records range={r.range} measure={measure} repId={id} /> : null}
    </>
  );
}

function InsightCard({ insight: i, onShowDeals, active }: { insight: Insight; onShowDeals: () => void; active: boolean }) {
  const dir = i.trend.direction ? DIRECTION[i.trend.direction] : null;
  return (
    <Card withBorder padding="sm" data-testid="insight">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={4}>
          <Group gap="xs">
            <Badge color={i.kind === 'strength' ? 'teal' : 'red'} variant="light">
              {i.kind}
            </Badge>
            {dir ? (
              <Badge color={dir.color} variant="outline" size="sm">
                {dir.text}
              </Badge>
            ) : null}
          </Group>
          <Text size="sm">{i.sentence}</Text>
          {i.checklist ? (
            <>
              <Text size="xs" fw={600} mt={4}>
                Check on the trials:
              </Text>
              <List size="sm" data-testid="trial-checklist">
                {i.checklist.map((c) => (
                  <List.Item key={c}>{c}</List.Item>
                ))}
              </List>
            </>
          ) : null}
        </Stack>
        <Button size="xs" variant={active ? 'light' : 'subtle'} onClick={onShowDeals}>
          Show deals
        </Button>
      </Group>
    </Card>
  );
}

function Records({ range, measure, repId }: { range: Range; measure: string; repId: string }) {
  const fmt = useFormat();
  const q = useRecords(range, measure, repId);
  const items = q.data?.items ?? [];
  return (
    <Card withBorder padding="md" component="section" aria-label="Records">
      <Text fw={600} mb="xs">
        {label(measure)} behind the number
      </Text>
      <DataTable<DrillRecord>
        label="Records"
        rows={items}
        loading={q.isPending}
        error={q.error}
        emptyText="No records in this period."
        columns={[
          {
            key: 'name',
            header: 'Name',
            render: (x) => (
              <Anchor component={Link} to={x.type === 'lead' ? `/leads/${x.id}` : `/opportunities/${x.id}`} size="sm">
                {x.name}
              </Anchor>
            ),
          },
          { key: 'type', header: 'Type', render: (x) => label(x.type) },
          { key: 'state', header: 'Status', render: (x) => <StatusBadge value={x.state} /> },
          { key: 'amount', header: 'Amount', render: (x) => fmt.money(x.amount) },
          { key: 'rep', header: 'Rep', render: (x) => x.repName ?? '' },
          { key: 'at', header: 'When', render: (x) => fmt.date(x.at) },
        ]}
      />
      {q.data?.truncated ? (
        <Text size="xs" c="dimmed" mt="xs">
          Showing the newest {items.length}.
        </Text>
      ) : null}
    </Card>
  );
}

/** The coaching metrics in words (the API's ids are for machines). */
const METRIC_NAMES: Record<string, string> = {
  visitorToLead: 'visitors to leads',
  leadToQualified: 'leads to qualified',
  leadToOpportunity: 'leads to opportunities',
  opportunityToCustomer: 'opportunities to customers',
  winRate: 'win rate',
  speedToLead: 'speed to lead',
  leadToOpportunityDays: 'days from lead to opportunity',
  salesCycleDays: 'sales cycle',
};
