import { Badge, Card, Table, Text } from '@mantine/core';
import { type Format, useFormat } from '../../components/format';
import { QuotaBadge } from './QuotaBadge';
import { InlineQuota, useMaySetQuota } from './QuotaEditors';
import { type AttainmentReport, isCountMetric, isRateMetric, metricLabel, ratioPct } from './quotas.api';

/** Money for ARR and pipeline, a plain count for leads, a percent for retention. */
export const amountOf = (fmt: Format, metric: string, v: string) =>
  isRateMetric(metric)
    ? `${Number(v).toFixed(2)}%`
    : isCountMetric(metric)
      ? Number(v).toLocaleString(undefined, { maximumFractionDigits: 2 })
      : fmt.money(v);

/** One row per rep and metric: quota, ramped quota, actual, attainment; editable in place where the caller may set it. */
export function AttainmentTable({ report }: { report: AttainmentReport }) {
  const fmt = useFormat();
  const maySet = useMaySetQuota();
  return (
    <Card withBorder padding="md" mb="md" component="section" aria-label="Attainment">
      <Text fw={600} mb="xs">
        Attainment per rep
      </Text>
      <Table.ScrollContainer minWidth={760}>
        <Table aria-label="Attainment per rep" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Rep</Table.Th>
              <Table.Th>Team</Table.Th>
              <Table.Th>Metric</Table.Th>
              <Table.Th ta="right">Quota</Table.Th>
              <Table.Th ta="right">Ramped quota</Table.Th>
              <Table.Th ta="right">Actual</Table.Th>
              <Table.Th ta="right">Attainment</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.rows.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={7}>
                  <Text size="sm" c="dimmed">
                    No quota touches {report.period.label} yet.
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : (
              report.rows.map((r) => {
                const quota = amountOf(fmt, r.metric, r.quota);
                return (
                  <Table.Tr key={`${r.userId}|${r.metric}`} data-testid="attainment-row">
                    <Table.Td>
                      {r.name}
                      {r.hireDate && r.rampedQuota !== r.quota ? (
                        <Text size="xs" c="dimmed">
                          hired {fmt.day(r.hireDate)}
                          {r.leftAt ? `, left ${fmt.day(r.leftAt)}` : ''}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>{r.teamName ?? '—'}</Table.Td>
                    <Table.Td>{metricLabel(r.metric)}</Table.Td>
                    <Table.Td ta="right">
                      {maySet(r.userId) ? (
                        <InlineQuota userId={r.userId} name={r.name} metric={r.metric} period={report.period.label} shown={quota} />
                      ) : (
                        quota
                      )}
                    </Table.Td>
                    <Table.Td ta="right">{amountOf(fmt, r.metric, r.rampedQuota)}</Table.Td>
                    <Table.Td ta="right">{amountOf(fmt, r.metric, r.actual)}</Table.Td>
                    <Table.Td ta="right">
                      <QuotaBadge attainment={r.attainment} />
                    </Table.Td>
                  </Table.Tr>
                );
              })
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

/** Per team and metric: the sum of the reps' ramped quotas and actuals, and how many reps reached 100%. */
export function TeamRollups({ report }: { report: AttainmentReport }) {
  const fmt = useFormat();
  if (report.teams.length === 0) return null;
  return (
    <Card withBorder padding="md" mb="md" component="section" aria-label="Team roll-ups">
      <Text fw={600} mb="xs">
        Team roll-ups
      </Text>
      <Table aria-label="Team roll-ups">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Team</Table.Th>
            <Table.Th>Metric</Table.Th>
            <Table.Th ta="right">Reps at 100%</Table.Th>
            <Table.Th ta="right">Ramped quota</Table.Th>
            <Table.Th ta="right">Actual</Table.Th>
            <Table.Th ta="right">Attainment</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.teams.map((t) => (
            <Table.Tr key={`${t.teamId}|${t.metric}`}>
              <Table.Td>{t.teamName}</Table.Td>
              <Table.Td>{metricLabel(t.metric)}</Table.Td>
              <Table.Td ta="right">
                {t.attained} of {t.reps}
              </Table.Td>
              <Table.Td ta="right">{amountOf(fmt, t.metric, t.rampedQuota)}</Table.Td>
              <Table.Td ta="right">{amountOf(fmt, t.metric, t.actual)}</Table.Td>
              <Table.Td ta="right">
                <Badge variant="light" color={t.attainment != null && Number(t.attainment) >= 1 ? 'teal' : 'gray'}>
                  {ratioPct(t.attainment)}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
