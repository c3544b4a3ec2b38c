import { Anchor, Button, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { post } from '../../api/client';
import { label } from '../../api/domain';
import { StatusBadge } from '../../components/badges';
import { QueryState } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { type ReviewRow, routingKeys, useReviewList } from './routing.api';

/**
 * New leads whose email matches a lead already closed (converted or disqualified): a person decides.
 * Keep = a genuine new inquiry (a returning buyer); Merge = the same request again, closed as a
 * duplicate with its activities moved onto the earlier lead.
 */
export default function DuplicatesPage() {
  const q = useReviewList();
  return (
    <>
      <PageHeader
        title="Possible duplicates"
        subtitle="New leads that match a closed lead by email: keep them as new, or merge them into the earlier one"
      />
      <QueryState query={q} what="the duplicates to review">
        {(data) =>
          data.items.length === 0 ? (
            <Text c="dimmed" size="sm">
              Nothing to review.
            </Text>
          ) : (
            <Stack>
              {data.items.map((row) => (
                <ReviewCard key={row.id} row={row} />
              ))}
            </Stack>
          )
        }
      </QueryState>
    </>
  );
}

function ReviewCard({ row }: { row: ReviewRow }) {
  const fmt = useFormat();
  const qc = useQueryClient();
  const decide = useMutation({
    mutationFn: (decision: 'keep' | 'merge') => post(`/leads/${row.id}/review`, { decision }),
    onSuccess: (_r, decision) => {
      void qc.invalidateQueries({ queryKey: routingKeys.review });
      void qc.invalidateQueries({ queryKey: ['leads'] });
      notifications.show({ color: 'green', message: decision === 'keep' ? 'Kept as a new lead' : 'Merged into the earlier lead' });
    },
    onError: (e) => notifications.show({ color: 'red', title: 'Not done', message: (e as Error).message }),
  });
  const who = [row.firstName, row.lastName].filter(Boolean).join(' ');
  return (
    <Card withBorder component="section" aria-label={`Possible duplicate: ${row.email ?? row.company ?? row.id}`}>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Stack gap={2}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            New lead
          </Text>
          <Anchor component={Link} to={`/leads/${row.id}`} fw={600}>
            {row.company || who || row.email}
          </Anchor>
          <Text size="sm">{[who, row.email].filter(Boolean).join(' · ')}</Text>
          <Text size="sm" c="dimmed">
            via {label(row.channel)} · {fmt.dateTime(row.createdAt)}
          </Text>
        </Stack>
        <Stack gap={2}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Earlier lead
          </Text>
          <Group gap="xs">
            <Anchor component={Link} to={`/leads/${row.duplicateOfId}`} fw={600}>
              {row.duplicateOfCompany || row.email}
            </Anchor>
            <StatusBadge value={row.duplicateOfStatus} />
          </Group>
          <Text size="sm" c="dimmed">
            created {fmt.dateTime(row.duplicateOfCreatedAt)}
          </Text>
          {row.duplicateOfReason ? <Text size="sm">Reason: {row.duplicateOfReason}</Text> : null}
        </Stack>
      </SimpleGrid>
      <Group mt="sm" gap="xs">
        <Button
          size="xs"
          onClick={() => decide.mutate('keep')}
          loading={decide.isPending && decide.variables === 'keep'}
          disabled={decide.isPending}
        >
          Keep
        </Button>
        <Button
          size="xs"
          variant="default"
          onClick={() => decide.mutate('merge')}
          loading={decide.isPending && decide.variables === 'merge'}
          disabled={decide.isPending}
        >
          Merge
        </Button>
        <Text size="xs" c="dimmed">
          Keep: a new inquiry. Merge: closes this lead as a duplicate and moves its activities to the earlier one.
        </Text>
      </Group>
    </Card>
  );
}
