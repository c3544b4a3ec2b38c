import { BarChart } from '@mantine/charts';
import { Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useFormat } from '../../components/format';
import { FUNNEL_STAGES, type FunnelMetrics } from './analytics.api';
import { days, pct } from './analytics.format';

const STAGE_LABEL: Record<(typeof FUNNEL_STAGES)[number], string> = {
  visitors: 'Visitors',
  conversations: 'Conversations',
  leads: 'Leads',
  opportunities: 'Opportunities',
  customers: 'Customers',
};

/** The conversion from the stage before, under each stage's count. */
function stepRate(m: FunnelMetrics, stage: (typeof FUNNEL_STAGES)[number]) {
  switch (stage) {
    case 'conversations':
      return m.conversion.visitorToConversation;
    case 'leads':
      return m.conversion.conversationToLead ?? m.conversion.visitorToLead;
    case 'opportunities':
      return m.conversion.leadToOpportunity;
    case 'customers':
      return m.conversion.opportunityToCustomer;
    default:
      return null;
  }
}

/**
 * The five stages as bars, with each count and step conversion written out beside the chart (the numbers are
 * what people act on; the chart shows the shape). `compare` adds a second series, e.g. the team beside a rep.
 */
export function FunnelPanel({
  metrics,
  title = 'Funnel',
  compare,
  testId = 'funnel',
}: {
  metrics: FunnelMetrics;
  title?: string;
  compare?: { label: string; metrics: FunnelMetrics } | null;
  testId?: string;
}) {
  const data = FUNNEL_STAGES.map((s) => ({
    stage: STAGE_LABEL[s],
    [title]: metrics.counts[s],
    ...(compare ? { [compare.label]: compare.metrics.counts[s] } : {}),
  }));
  const series = [{ name: title, color: 'blue.6' }, ...(compare ? [{ name: compare.label, color: 'gray.5' }] : [])];
  return (
    <Card withBorder padding="md" data-testid={testId}>
      <Text fw={600} mb="xs">
        {title}
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <BarChart
          h={220}
          data={data}
          dataKey="stage"
          series={series}
          orientation="vertical"
          yAxisProps={{ width: 110 }}
          withLegend={!!compare}
        />
        <Stack gap={4}>
          {FUNNEL_STAGES.map((s) => (
            <Group key={s} justify="space-between" wrap="nowrap" data-stage={s}>
              <Text size="sm">{STAGE_LABEL[s]}</Text>
              <Group gap="md" wrap="nowrap">
                <Text size="sm" fw={600} data-testid={`stage-${s}`}>
                  {metrics.counts[s].toLocaleString()}
                </Text>
                {compare ? (
                  <Text size="sm" c="dimmed" title={compare.label}>
                    {compare.metrics.counts[s].toLocaleString()}
                  </Text>
                ) : null}
                <Text size="xs" c="dimmed" w={56} ta="right">
                  {pct(stepRate(metrics, s))}
                </Text>
              </Group>
            </Group>
          ))}
        </Stack>
      </SimpleGrid>
    </Card>
  );
}

function Kpi({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="lg" fw={600} data-testid={`kpi-${label}`}>
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Card>
  );
}

/** The headline numbers of a funnel (docs/metrics.md defines each); a dash where nothing was measured. */
export function KpiCards({ metrics: m }: { metrics: FunnelMetrics }) {
  const fmt = useFormat();
  const money = (v: string | null) => (v == null ? '—' : fmt.money(v));
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} mb="md">
      <Kpi
        label="Win rate"
        value={pct(m.winRate)}
        hint={m.winRate ? `${m.winRate.numerator} of ${m.winRate.denominator} closed` : undefined}
      />
      <Kpi label="Sales cycle" value={days(m.salesCycleDays)} hint="median, opportunity → won" />
      <Kpi label="Average deal" value={money(m.averageDealSize)} />
      <Kpi label="ARPA" value={money(m.arpa)} hint="new logos" />
      <Kpi label="Pipeline created" value={money(m.pipelineCreated)} />
      <Kpi
        label="Bookings"
        value={money(m.bookings.total)}
        hint={`new ${money(m.bookings.new)} · expansion ${money(m.bookings.expansion)} · renewal ${money(m.bookings.renewal)}`}
      />
    </SimpleGrid>
  );
}
