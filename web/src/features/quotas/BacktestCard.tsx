import { Badge, Button, Card, Group, Stack, Table, TagsInput, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ErrorState } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { errorsOf } from '../../components/forms';
import { amountOf } from './AttainmentTable';
import { FLAG_COLOR, FLAG_LABEL, ratioPct, useBacktest } from './quotas.api';

/** "Had the quota been Q, who would have attained?" over past periods, per rep and per team. */
export function BacktestCard({ metric, periods }: { metric: string; periods: string[] }) {
  const fmt = useFormat();
  const [amount, setAmount] = useState('');
  const [chosen, setChosen] = useState<string[]>(periods);
  const joined = periods.join(',');
  // The list follows the calibration's periods when those change; edits in between are kept (a string dep: arrays are new each render).
  useEffect(() => setChosen(joined ? joined.split(',') : []), [joined]);
  const run = useBacktest();
  const { fields } = errorsOf(run.error);
  const show = (v: string) => amountOf(fmt, metric, v);
  const amountError = fields['quota.amount'] ?? fields.quota;
  const periodsError = fields.periods ?? Object.entries(fields).find(([k]) => k.startsWith('periods'))?.[1];
  return (
    <Card withBorder padding="md" mb="md" component="section" aria-label="Backtest">
      <Text fw={600}>Backtest a quota</Text>
      <Text size="xs" c="dimmed" mb="xs">
        Had every rep's quota been this amount, who would have attained it?
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate({ metric, periods: chosen, quota: { amount: amount.trim() } });
        }}
      >
        <Group gap="sm" align="flex-start" wrap="wrap">
          <TextInput
            size="xs"
            label="Quota"
            placeholder="e.g. 200000"
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.currentTarget.value)}
            error={amountError}
            w={160}
          />
          <TagsInput size="xs" label="Periods" value={chosen} onChange={setChosen} error={periodsError} w={320} />
          <Button size="xs" type="submit" mt={22} loading={run.isPending}>
            Backtest
          </Button>
        </Group>
      </form>
      {run.error && !amountError && !periodsError ? (
        <Stack mt="xs">
          <ErrorState error={run.error} what="the backtest" />
        </Stack>
      ) : null}
      {run.data
        ? run.data.periods.map((p) => (
            <Stack key={p.period} gap={4} mt="md">
              <Group gap={6}>
                <Text fw={600} size="sm">
                  {p.period}
                </Text>
                {p.teams.map((t) => (
                  <Badge key={t.teamId} color={FLAG_COLOR[t.flag]} variant="light">
                    {t.teamName}: {t.attained} of {t.reps} ({ratioPct(t.share, 0)}) · {FLAG_LABEL[t.flag]}
                  </Badge>
                ))}
              </Group>
              <Table aria-label={`Backtest ${p.period}`} data-testid="backtest-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Rep</Table.Th>
                    <Table.Th>Team</Table.Th>
                    <Table.Th ta="right">Actual</Table.Th>
                    <Table.Th ta="right">Quota</Table.Th>
                    <Table.Th>Would have attained</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {p.reps.map((r) => (
                    <Table.Tr key={r.userId}>
                      <Table.Td>{r.name}</Table.Td>
                      <Table.Td>{p.teams.find((t) => t.teamId === r.teamId)?.teamName ?? '—'}</Table.Td>
                      <Table.Td ta="right">{show(r.actual)}</Table.Td>
                      <Table.Td ta="right">{show(r.quota)}</Table.Td>
                      <Table.Td>
                        <Badge color={r.attained ? 'teal' : 'gray'} variant="light">
                          {r.attained ? 'Yes' : 'No'}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Stack>
          ))
        : null}
    </Card>
  );
}
