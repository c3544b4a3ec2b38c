import { Badge, Card, Group, Progress, Stack, Text, Title } from '@mantine/core';
import { useFormat } from '../../components/format';
import type { RepProgress } from './comp.api';

type Milestone = RepProgress['progress']['components'][number];

/** Money for ARR milestones, percents for rates, plain counts otherwise. */
function shown(c: Milestone, v: string | null, money: (v: string) => string) {
  if (v == null) return 'no customers yet';
  if (c.component === 'sales' || c.label.startsWith('Pipeline')) return money(v);
  if (c.component === 'customer_lifetime' || c.label.startsWith('Win rate')) return `${(Number(v) * 100).toFixed(1)}%`;
  return v;
}

/** A rep's progress to the next level, one bar per milestone (all three must be met). */
export function LevelProgressCard({ item }: { item: RepProgress }) {
  const f = useFormat();
  const p = item.progress;
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={4}>
          {item.levelName ?? `Level ${item.level}`}
          {p.next ? ` → ${p.next.name}` : ''}
        </Title>
        {p.next ? <Badge color={p.eligible ? 'green' : 'gray'}>{p.eligible ? 'Ready for promotion' : 'In progress'}</Badge> : null}
      </Group>
      {!p.next ? (
        <Text size="sm" c="dimmed">
          Top of the ladder (or no ladder defined).
        </Text>
      ) : (
        <Stack gap="xs">
          {p.components.map((c) => (
            <div key={c.component}>
              <Group justify="space-between">
                <Text size="sm">{c.label}</Text>
                <Text size="sm" c={c.met ? 'green' : 'dimmed'}>
                  {shown(c, c.actual, f.money)} / {c.component === 'customer_lifetime' ? 'below ' : ''}
                  {shown(c, c.target, f.money)}
                </Text>
              </Group>
              <Progress value={Number(c.progress) * 100} color={c.met ? 'green' : 'blue'} aria-label={`${c.label} progress`} />
            </div>
          ))}
        </Stack>
      )}
    </Card>
  );
}
