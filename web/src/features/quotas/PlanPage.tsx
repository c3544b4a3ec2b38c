import '@mantine/charts/styles.css';
import { BarChart, LineChart } from '@mantine/charts';
import { Alert, Button, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ErrorState, FormError, PageLoader } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { errorsOf } from '../../components/forms';
import { PageHeader } from '../../components/PageHeader';
import { HiresTable } from './HiresTable';
import { PlanForm } from './PlanForm';
import { fromDraft, normalizePaths, type PlanDraft, toDraft } from './plan.draft';
import { type CapacityPlan, useCapacityDefaults, usePlanCapacity } from './quotas.api';

const r1 = (n: number) => Math.round(n * 10) / 10;

function PlanResult({ plan }: { plan: CapacityPlan }) {
  const fmt = useFormat();
  const inPlan = plan.months.filter((m) => m.inPlan);
  const last = inPlan.at(-1);
  const headcount = plan.months.map((m) => ({
    month: m.month,
    AEs: r1(m.aes.headcount),
    SDRs: r1(m.sdrs.headcount),
    CSMs: r1(m.csms.headcount),
  }));
  const bookings = inPlan.map((m) => ({ month: m.month, Bookings: Number(m.bookings) }));
  const aeEnd = Object.values(plan.totals.endHeadcount.ae).reduce((s, n) => s + n, 0);
  const aeHires = Object.values(plan.totals.hires.ae).reduce((s, n) => s + n, 0);
  return (
    <Stack gap="md" data-testid="plan-result">
      {plan.flags.map((f) => (
        <Alert key={`${f.code}|${f.path}`} color="orange" variant="light" title={f.code.replaceAll('_', ' ')} data-testid="plan-flag">
          <Text size="sm">{f.message}</Text>
        </Alert>
      ))}
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Card withBorder padding="sm">
          <Text size="xs" c="dimmed">
            Bookings
          </Text>
          <Text fw={600}>{fmt.money(plan.totals.bookings)}</Text>
        </Card>
        <Card withBorder padding="sm">
          <Text size="xs" c="dimmed">
            Hires (SDR / CSM / AE)
          </Text>
          <Text fw={600}>
            {plan.totals.hires.sdr} / {plan.totals.hires.csm} / {aeHires}
          </Text>
        </Card>
        <Card withBorder padding="sm">
          <Text size="xs" c="dimmed">
            SDR:AE at the end
          </Text>
          <Text fw={600} data-testid="sdr-ae">
            {last?.sdrToAe == null ? '—' : `${last.sdrToAe.toFixed(2)} : 1`}
          </Text>
        </Card>
        <Card withBorder padding="sm">
          <Text size="xs" c="dimmed">
            End team (SDR / CSM / AE), OTE run-rate
          </Text>
          <Text fw={600}>
            {r1(plan.totals.endHeadcount.sdr)} / {r1(plan.totals.endHeadcount.csm)} / {r1(aeEnd)} · {fmt.money(plan.totals.oteRunRate)}
          </Text>
        </Card>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Card withBorder padding="md" component="section" aria-label="Headcount by month">
          <Text fw={600} mb="xs">
            Headcount by month
          </Text>
          <LineChart
            h={240}
            data={headcount}
            dataKey="month"
            withLegend
            series={[
              { name: 'AEs', color: 'blue.6' },
              { name: 'SDRs', color: 'teal.6' },
              { name: 'CSMs', color: 'grape.6' },
            ]}
          />
        </Card>
        <Card withBorder padding="md" component="section" aria-label="Bookings by month">
          <Text fw={600} mb="xs">
            Bookings by month
          </Text>
          <BarChart
            h={240}
            data={bookings}
            dataKey="month"
            valueFormatter={(v) => fmt.money(v.toFixed(2))}
            series={[{ name: 'Bookings', color: 'indigo.6' }]}
          />
        </Card>
      </SimpleGrid>
      <HiresTable plan={plan} />
    </Stack>
  );
}

/** Capacity planner: from an ARR target and the funnel's own rates to headcount, hiring dates and the flags. */
export default function PlanPage() {
  const defaults = useCapacityDefaults();
  const run = usePlanCapacity();
  const [draft, setDraft] = useState<PlanDraft | null>(null);
  useEffect(() => {
    if (defaults.data && !draft) setDraft(toDraft(defaults.data.assumptions));
  }, [defaults.data, draft]);
  const { fields, message } = errorsOf(run.error);
  const errors = normalizePaths(fields);
  return (
    <>
      <PageHeader title="Capacity planner" subtitle="Headcount and hiring dates for an ARR target, from your own funnel" />
      {defaults.error ? <ErrorState error={defaults.error} what="the capacity planner" /> : null}
      {defaults.isPending ? <PageLoader /> : null}
      {defaults.data && draft ? (
        <>
          {defaults.data.notes.length ? (
            <Alert color="gray" variant="light" mb="md" title="Where defaults fill in">
              {defaults.data.notes.map((n) => (
                <Text key={n} size="xs">
                  {n}
                </Text>
              ))}
            </Alert>
          ) : null}
          <form
            onSubmit={(e) => {
              e.preventDefault();
              run.mutate(fromDraft(draft, defaults.data.assumptions));
            }}
          >
            <PlanForm draft={draft} onChange={setDraft} errors={errors} />
            <Group mt="sm" mb="md">
              <Button type="submit" loading={run.isPending}>
                Plan
              </Button>
              <Button variant="default" onClick={() => setDraft(toDraft(defaults.data.assumptions))}>
                Reset to defaults
              </Button>
            </Group>
          </form>
          {run.error ? (
            <FormError error={Object.keys(errors).length ? 'Some inputs are not possible: see the fields above.' : message} />
          ) : null}
          {run.data && !run.error ? <PlanResult plan={run.data} /> : null}
        </>
      ) : null}
    </>
  );
}
