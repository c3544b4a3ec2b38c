import { Alert, Button, Card, Group, List, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { useAccess } from '../../app/session';
import { FormError, QueryState } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { type Level, type RepProgress, useLadder, useLevelProgress, usePromote, useSetLadder } from './comp.api';
import { LevelProgressCard } from './LevelProgressCard';

function LadderCard({ levels }: { levels: Level[] }) {
  const f = useFormat();
  const access = useAccess();
  const save = useSetLadder();
  const [text, setText] = useState<string | null>(null);
  const fields = save.error instanceof ApiError ? Object.entries(save.error.fieldErrors()) : [];
  return (
    <Card withBorder>
      <Title order={4} mb="xs">
        Ladder
      </Title>
      <Table aria-label="Levels" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Level</Table.Th>
            <Table.Th>Base</Table.Th>
            <Table.Th>Variable</Table.Th>
            <Table.Th>Rate</Table.Th>
            <Table.Th>Quota</Table.Th>
            <Table.Th>To reach it (last N months)</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {levels.map((l) => (
            <Table.Tr key={l.level}>
              <Table.Td>{l.name}</Table.Td>
              <Table.Td>{f.money(l.base)}</Table.Td>
              <Table.Td>{f.money(l.variable)}</Table.Td>
              <Table.Td>{l.rate}%</Table.Td>
              <Table.Td>{f.money(l.quota)}</Table.Td>
              <Table.Td>
                {l.minClosedArr
                  ? `${l.windowMonths} months: close ${f.money(l.minClosedArr)}; ${l.productivityMetric} ≥ ${l.productivityTarget}; churn < ${(Number(l.maxChurnRate) * 100).toFixed(1)}%`
                  : 'everyone starts here'}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {!levels.length ? <Text c="dimmed">No ladder yet.</Text> : null}
      {access.canAdmin ? (
        text == null ? (
          <Button mt="sm" variant="light" onClick={() => setText(JSON.stringify(levels, null, 2))}>
            Edit ladder
          </Button>
        ) : (
          <Stack mt="sm">
            <Textarea
              label="Levels (JSON)"
              autosize
              minRows={8}
              maxRows={25}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
            />
            {fields.length ? (
              <Alert color="red" role="alert">
                <List size="sm">
                  {fields.map(([p, m]) => (
                    <List.Item key={p}>
                      {p}: {m}
                    </List.Item>
                  ))}
                </List>
              </Alert>
            ) : (
              <FormError error={save.error} />
            )}
            <Group>
              <Button
                loading={save.isPending}
                onClick={() => {
                  try {
                    save.mutate(JSON.parse(text) as Level[], { onSuccess: () => setText(null) });
                  } catch (e) {
                    save.reset();
                    alert(`Not valid JSON: ${(e as Error).message}`);
                  }
                }}
              >
                Save ladder
              </Button>
              <Button variant="subtle" onClick={() => setText(null)}>
                Cancel
              </Button>
            </Group>
          </Stack>
        )
      ) : null}
    </Card>
  );
}

function PromoteRow({ item }: { item: RepProgress }) {
  const promote = usePromote();
  const [from, setFrom] = useState('');
  return (
    <Stack gap={4}>
      <Group align="flex-end">
        <TextInput
          size="xs"
          label={`Promote ${item.user.name} from`}
          placeholder="YYYY-MM-DD"
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <Button
          size="xs"
          disabled={!from}
          loading={promote.isPending}
          onClick={() => promote.mutate({ userId: item.user.id, effectiveFrom: from })}
        >
          Promote
        </Button>
      </Group>
      <FormError error={promote.error} />
      {promote.isSuccess ? (
        <Text size="sm" c="green">
          Promoted.
        </Text>
      ) : null}
    </Stack>
  );
}

/** Levels: the ladder (sales ops edit it) and every rep's progress to their next level; promotion is one audited click. */
export default function LevelsPage() {
  const access = useAccess();
  const ladder = useLadder();
  const progress = useLevelProgress();
  return (
    <>
      <PageHeader
        title="Levels"
        subtitle="Reach the next level by meeting all three milestones: sales, productivity and customer lifetime. No tenure."
      />
      <Stack>
        <QueryState query={ladder} what="the ladder">
          {(d) => <LadderCard levels={d.items} />}
        </QueryState>
        <QueryState query={progress} what="progress">
          {(d) => (
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              {d.items.map((item) => (
                <Stack key={item.user.id} gap={4}>
                  <Text fw={600}>
                    {item.user.name}
                    {item.user.teamName ? ` · ${item.user.teamName}` : ''}
                  </Text>
                  <LevelProgressCard item={item} />
                  {access.canAdmin && item.progress.eligible ? <PromoteRow item={item} /> : null}
                </Stack>
              ))}
            </SimpleGrid>
          )}
        </QueryState>
      </Stack>
    </>
  );
}
