import { Badge, Card, Group, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { QueryState } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { usePlans, useWhatIf } from './comp.api';

const pct = (v: string | null) => (v == null ? '—' : `${(Number(v) * 100).toFixed(1)}%`);

/** What-if: a plan version simulated over the last 12 months against the plan in force (a rep sees only their own line). */
export default function WhatIfPage() {
  const f = useFormat();
  const plans = usePlans();
  const [params, setParams] = useSearchParams();
  const planKey = params.get('planKey');
  const version = params.get('version') ? Number(params.get('version')) : null;
  const result = useWhatIf(planKey, version);
  const options = (plans.data?.items ?? []).map((p) => ({ value: `${p.key}|${p.version}`, label: `${p.key} v${p.version} (${p.status})` }));
  return (
    <>
      <PageHeader
        title="What-if"
        subtitle="Under the draft you would have earned …, under the current plan … — over the last 12 months of real deals."
      />
      <Select
        label="Plan version"
        mb="md"
        w={320}
        data={options}
        value={planKey && version ? `${planKey}|${version}` : null}
        onChange={(v) => {
          if (!v) return;
          const [k, n] = v.split('|');
          setParams({ planKey: k, version: n });
        }}
      />
      {planKey && version ? (
        <QueryState query={result} what="the simulation">
          {(r) => (
            <Stack>
              <Text size="sm" c="dimmed">
                {r.planKey} v{r.draftVersion} against {r.currentVersion ? `v${r.currentVersion} (in force)` : 'no published version'},{' '}
                {r.window.from} to {r.window.to}. Nothing is written to the ledger.
              </Text>
              {r.summary ? (
                <SimpleGrid cols={{ base: 2, md: 4 }}>
                  <Card withBorder>
                    <Text size="xs" c="dimmed">
                      Comp: current → draft
                    </Text>
                    <Text fw={600}>
                      {f.money(r.summary.current)} → {f.money(r.summary.draft)}
                    </Text>
                  </Card>
                  <Card withBorder>
                    <Text size="xs" c="dimmed">
                      Cost of sales (comp / new ARR)
                    </Text>
                    <Text fw={600}>
                      {pct(r.summary.costOfSales.current)} → {pct(r.summary.costOfSales.draft)}
                    </Text>
                  </Card>
                  <Card withBorder>
                    <Text size="xs" c="dimmed">
                      Quota : OTE
                    </Text>
                    <Text fw={600}>{r.summary.quotaToOte ? `${r.summary.quotaToOte}x` : '—'}</Text>
                  </Card>
                  <Card withBorder>
                    <Text size="xs" c="dimmed">
                      Reps at or above quota (target 60-75%)
                    </Text>
                    <Group gap={6}>
                      <Text fw={600}>{pct(r.summary.atOrAboveQuota)}</Text>
                      {r.summary.withinTarget != null ? (
                        <Badge color={r.summary.withinTarget ? 'green' : 'orange'}>
                          {r.summary.withinTarget ? 'on target' : 'off target'}
                        </Badge>
                      ) : null}
                    </Group>
                  </Card>
                </SimpleGrid>
              ) : null}
              {r.summary ? (
                <Card withBorder>
                  <Title order={5} mb="xs">
                    Attainment distribution
                  </Title>
                  <Group>
                    {r.summary.distribution.map((b) => (
                      <Text key={b.label} size="sm">
                        {b.label}: <b>{b.reps}</b>
                      </Text>
                    ))}
                  </Group>
                </Card>
              ) : null}
              <Table aria-label="What-if per rep" verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Rep</Table.Th>
                    <Table.Th>Level</Table.Th>
                    <Table.Th>Under the current plan</Table.Th>
                    <Table.Th>Under the draft</Table.Th>
                    <Table.Th>Difference</Table.Th>
                    <Table.Th>New ARR</Table.Th>
                    <Table.Th>Attainment</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.rows.map((x) => (
                    <Table.Tr key={x.userId}>
                      <Table.Td>{x.name}</Table.Td>
                      <Table.Td>{x.level}</Table.Td>
                      <Table.Td>{f.exactMoney(x.current)}</Table.Td>
                      <Table.Td>{f.exactMoney(x.draft)}</Table.Td>
                      <Table.Td c={x.difference.startsWith('-') ? 'red' : 'green'}>{f.exactMoney(x.difference)}</Table.Td>
                      <Table.Td>{f.money(x.newArr)}</Table.Td>
                      <Table.Td>{pct(x.attainment)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {!r.rows.length ? <Text c="dimmed">No one you can see is assigned to {r.planKey}.</Text> : null}
            </Stack>
          )}
        </QueryState>
      ) : (
        <Text c="dimmed">Pick a plan version (usually a draft) to simulate it.</Text>
      )}
    </>
  );
}
