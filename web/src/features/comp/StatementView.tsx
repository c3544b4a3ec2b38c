import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { type Format, useFormat } from '../../components/format';
import { type HoldView, KIND_LABELS, type Line, type Statement } from './comp.api';

/** Dates arrive as strings over JSON. */
export type StatementJson = Omit<
  Statement,
  'lines' | 'earnings' | 'holds' | 'releases' | 'forfeits' | 'clawbacks' | 'adjustments' | 'draws' | 'openHolds'
> & {
  [K in 'earnings' | 'releases' | 'forfeits' | 'clawbacks' | 'adjustments' | 'draws']: Line[];
} & {
  holds: (Line & Pick<HoldView, 'status' | 'resolvedIn' | 'condition'>)[];
  openHolds: (Line & Pick<HoldView, 'status' | 'resolvedIn' | 'condition'>)[];
};

function Subject({ line }: { line: Line }) {
  if (line.opportunityId)
    return (
      <Anchor component={Link} to={`/opportunities/${line.opportunityId}`}>
        {line.opportunityName ?? 'the deal'}
      </Anchor>
    );
  if (line.accountId)
    return (
      <Anchor component={Link} to={`/accounts/${line.accountId}`}>
        {line.accountName ?? 'the account'}
      </Anchor>
    );
  if (line.leadId)
    return (
      <Anchor component={Link} to={`/leads/${line.leadId}`}>
        lead
      </Anchor>
    );
  return <Text size="sm">{line.reason ?? '—'}</Text>;
}

/** A section of a statement: each line with its month, what it is about (linked), its arithmetic and its amount. */
function Lines({ title, lines, f, extra }: { title: string; lines: Line[]; f: Format; extra?: (l: Line) => React.ReactNode }) {
  if (!lines.length) return null;
  return (
    <Card withBorder>
      <Title order={4} mb="xs">
        {title}
      </Title>
      <Table.ScrollContainer minWidth={700}>
        <Table aria-label={title} verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Month</Table.Th>
              <Table.Th>Component</Table.Th>
              <Table.Th>About</Table.Th>
              <Table.Th>Arithmetic</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Amount</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lines.map((l) => (
              <Table.Tr key={l.id}>
                <Table.Td>{l.period}</Table.Td>
                <Table.Td>
                  <Text size="sm">{l.component}</Text>
                  <Text size="xs" c="dimmed">
                    {KIND_LABELS[l.kind] ?? l.kind}
                    {l.planKey ? ` · ${l.planKey} v${l.planVersion}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Subject line={l} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{l.arithmetic}</Text>
                  {extra?.(l)}
                </Table.Td>
                <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>{f.exactMoney(l.amount)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

const HOLD_COLORS = { waiting: 'yellow', released: 'green', forfeited: 'red' } as const;

export function StatementView({ s }: { s: StatementJson }) {
  const f = useFormat();
  const holdNote = (l: Line) => {
    const h = l as StatementJson['holds'][number];
    return (
      <Group gap={6} mt={4}>
        <Badge size="xs" color={HOLD_COLORS[h.status]}>
          {h.status}
          {h.resolvedIn ? ` ${h.resolvedIn}` : ''}
        </Badge>
        <Text size="xs" c="dimmed">
          {h.status === 'waiting' ? `Waits for ${h.condition}` : h.condition}
        </Text>
      </Group>
    );
  };
  const t = s.totals;
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, md: 5 }}>
        {(
          [
            ['Payable', t.payable],
            ['Earnings', t.earnings],
            ['Held', t.holds],
            ['Released', t.releases],
            ['Clawbacks', t.clawbacks],
          ] as const
        ).map(([label, v]) => (
          <Card withBorder key={label}>
            <Text size="xs" c="dimmed">
              {label}
            </Text>
            <Text fw={600} aria-label={`${label} total`}>
              {f.exactMoney(v)}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      <Text size="sm" c="dimmed">
        {s.rep.name}
        {s.rep.teamName ? ` · ${s.rep.teamName}` : ''} · {s.period.label} ·{' '}
        {s.period.months.map((m) => `${m.month} ${m.status}${m.run ? '' : ' (not run)'}`).join(', ')}
        {s.plans.length ? ` · ${s.plans.map((p) => `${p.planKey} level ${p.level} from ${p.from}`).join('; ')}` : ' · no comp plan'}
      </Text>
      {s.attainment.length ? (
        <Text size="sm">
          Attainment:{' '}
          {s.attainment
            .map(
              (a) =>
                `${a.metric} ${f.money(a.actual)} of ${f.money(a.rampedQuota)}${a.attainment ? ` (${(Number(a.attainment) * 100).toFixed(0)}%)` : ''}`,
            )
            .join('; ')}
        </Text>
      ) : null}
      {!s.earnings.length && !s.holds.length && !s.releases.length && !s.clawbacks.length && !s.adjustments.length && !s.draws.length ? (
        <Text c="dimmed">No lines in {s.period.label}.</Text>
      ) : null}
      <Lines title="Earnings" lines={s.earnings} f={f} />
      <Lines title="Holds" lines={s.holds} f={f} extra={holdNote} />
      <Lines title="Releases" lines={s.releases} f={f} />
      <Lines title="Clawbacks" lines={s.clawbacks} f={f} />
      <Lines title="Forfeits" lines={s.forfeits} f={f} />
      <Lines title="Adjustments" lines={s.adjustments} f={f} />
      <Lines title="Draws" lines={s.draws} f={f} />
      <Lines title="Holds from earlier periods still waiting" lines={s.openHolds} f={f} extra={holdNote} />
    </Stack>
  );
}
