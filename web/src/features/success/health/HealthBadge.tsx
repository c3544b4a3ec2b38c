import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { BAND_COLOR, BAND_LABEL, type Band } from './health.api';

/** Score and band in one badge, with the change over the week before when known (▲ up, ▼ down). */
export function HealthBadge({ health }: { health: { score: number; band: Band; trend?: number | null } | null }) {
  if (!health)
    return (
      <Text size="sm" c="dimmed" data-testid="health-badge">
        Not scored
      </Text>
    );
  const { trend } = health;
  return (
    <Group gap={6} wrap="nowrap" data-testid="health-badge" data-band={health.band}>
      <Badge variant="light" color={BAND_COLOR[health.band]}>
        {health.score} · {BAND_LABEL[health.band]}
      </Badge>
      {trend ? (
        <Tooltip label="Change over the 7 days before">
          <Text size="xs" c={trend > 0 ? 'green' : 'red'} fw={600}>
            {trend > 0 ? `▲ ${trend}` : `▼ ${-trend}`}
          </Text>
        </Tooltip>
      ) : null}
    </Group>
  );
}

const MILESTONE_COLOR = { pending: 'blue', reached: 'green', missed: 'red' } as const;

export function MilestoneBadge({ milestone }: { milestone: { name: string; status: 'pending' | 'reached' | 'missed' } | null }) {
  if (!milestone)
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  return (
    <Tooltip label={milestone.name}>
      <Badge variant="outline" color={MILESTONE_COLOR[milestone.status]}>
        {milestone.status === 'pending' ? 'Pending' : milestone.status === 'reached' ? 'Reached' : 'Missed'}
      </Badge>
    </Tooltip>
  );
}
