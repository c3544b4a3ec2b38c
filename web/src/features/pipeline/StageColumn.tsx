import { useDroppable } from '@dnd-kit/core';
import { Badge, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import { label } from '../../api/domain';
import type { Opportunity, StageTotal } from '../../api/types';
import type { Format } from '../../components/format';
import { DealCard } from './DealCard';

export function StageColumn({
  stage,
  cards,
  total,
  fmt,
  ownerName,
  canMove,
  loading,
  hasMore,
  loadingMore,
  onLoadMore,
}: {
  stage: string;
  cards: Opportunity[];
  total: StageTotal | undefined;
  fmt: Format;
  ownerName: (id: string | null) => string;
  canMove: (opp: Opportunity) => boolean;
  loading: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}) {
  const { setNodeRef, isOver } = useDroppable({ id: stage });
  return (
    <section ref={setNodeRef} className="rl-column" data-over={isOver} data-stage={stage} aria-label={`Stage ${label(stage)}`}>
      <Group justify="space-between" mb={4} wrap="nowrap">
        <Text fw={600} size="sm">
          {label(stage)}
        </Text>
        <Badge variant="light" color={stage === 'won' ? 'green' : stage === 'lost' ? 'red' : 'indigo'} data-testid="stage-count">
          {total?.count ?? 0}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed" mb="xs" data-testid="stage-total">
        {fmt.money(total?.amount ?? '0')}
      </Text>
      <Stack gap={6}>
        {cards.map((opp) => (
          <DealCard key={opp.id} opp={opp} fmt={fmt} ownerName={ownerName(opp.ownerId)} canMove={canMove(opp)} />
        ))}
        {loading ? (
          <Center py="sm">
            <Loader size="xs" />
          </Center>
        ) : null}
        {!loading && cards.length === 0 ? (
          <Text size="xs" c="dimmed" ta="center" py="md">
            No deals
          </Text>
        ) : null}
        {hasMore ? (
          <Button variant="subtle" size="xs" onClick={onLoadMore} loading={loadingMore}>
            Show more
          </Button>
        ) : null}
      </Stack>
    </section>
  );
}
