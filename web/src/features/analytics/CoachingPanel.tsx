import { Anchor, Card, Group, NumberInput, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { label } from '../../api/domain';
import { ErrorState, PageLoader } from '../../components/ErrorState';
import { type Range, useTeamCoaching } from './analytics.api';

export const DEFAULT_MIN_CASES = 20;

/** Why a strength or gap may be missing: the small-sample guard of docs/metrics.md, in one line. */
export function MinCasesHint({ minN }: { minN: number }) {
  return (
    <Text size="xs" c="dimmed" data-testid="min-cases-hint">
      A strength or gap is shown only when the rep and at least two comparable reps each have {minN} or more cases (default{' '}
      {DEFAULT_MIN_CASES}), and the difference is outside the 95% interval; fewer cases would be noise.
    </Text>
  );
}

export function MinCasesInput({ value, onChange }: { value: number; onChange: (n: number) => void }) {
  return (
    <NumberInput
      size="xs"
      label="Minimum cases"
      min={1}
      max={10000}
      value={value}
      onChange={(v) => typeof v === 'number' && v >= 1 && onChange(v)}
      w={130}
    />
  );
}

/**
 * The manager's first layer of the onion: every rep in scope with their biggest strength and gap against
 * comparable reps (whole funnels, so the segment, source and channel filters do not apply), each row opening
 * the rep's page.
 */
export function CoachingPanel({ range, search }: { range: Range; search: string }) {
  const [minN, setMinN] = useState(DEFAULT_MIN_CASES);
  const q = useTeamCoaching(range, minN);
  const reps = q.data?.reps ?? [];
  const sentence = (text: string | undefined, none: string) =>
    text ? (
      <Text size="sm">{text}</Text>
    ) : (
      <Text size="sm" c="dimmed">
        {none}
      </Text>
    );
  return (
    <Card withBorder padding="md" mb="md" component="section" aria-label="Coaching">
      <Group justify="space-between" align="flex-end" mb="xs" wrap="nowrap">
        <div>
          <Text fw={600}>Coaching</Text>
          <MinCasesHint minN={minN} />
        </div>
        <MinCasesInput value={minN} onChange={setMinN} />
      </Group>
      {q.error ? <ErrorState error={q.error} what="the team's coaching" /> : null}
      {q.isPending ? <PageLoader /> : null}
      {q.data && reps.length === 0 ? (
        <Text size="sm" c="dimmed">
          No reps in your scope.
        </Text>
      ) : null}
      {reps.length ? (
        <Table.ScrollContainer minWidth={700}>
          <Table verticalSpacing="xs" aria-label="Coaching by rep">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Rep</Table.Th>
                <Table.Th>Top strength</Table.Th>
                <Table.Th>Top gap</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {reps.map((r) => (
                <Table.Tr key={r.rep.id} data-testid="coaching-row">
                  <Table.Td>
                    <Anchor component={Link} to={`/analytics/reps/${r.rep.id}${search}`} size="sm">
                      {r.rep.name}
                    </Anchor>
                    {r.rep.role ? (
                      <Text size="xs" c="dimmed">
                        {label(r.rep.role)}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{sentence(r.strength?.sentence, 'No clear strength')}</Table.Td>
                  <Table.Td>{sentence(r.gap?.sentence, 'No clear gap')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Card>
  );
}
