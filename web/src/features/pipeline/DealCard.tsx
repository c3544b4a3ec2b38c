import { useDraggable } from '@dnd-kit/core';
import { Anchor, Card, Group, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { Opportunity } from '../../api/types';
import type { Format } from '../../components/format';

export function DealCardBody({ opp, fmt, ownerName }: { opp: Opportunity; fmt: Format; ownerName: string }) {
  return (
    <>
      <Anchor component={Link} to={`/opportunities/${opp.id}`} size="sm" fw={600} lineClamp={2} c="dark" draggable={false}>
        {opp.name}
      </Anchor>
      <Group justify="space-between" mt={4} wrap="nowrap">
        <Text size="sm" fw={500}>
          {fmt.money(opp.amount)}
        </Text>
        <Text size="xs" c="dimmed">
          {opp.closeDate ? fmt.day(opp.closeDate) : 'no close date'}
        </Text>
      </Group>
      <Text size="xs" c="dimmed" truncate>
        {ownerName || 'Unassigned'}
      </Text>
    </>
  );
}

/** A deal on the board: drag it to another stage (mouse, touch or keyboard), or open it by its name. */
export function DealCard({ opp, fmt, ownerName, canMove }: { opp: Opportunity; fmt: Format; ownerName: string; canMove: boolean }) {
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({
    id: opp.id,
    data: { opp },
    disabled: !canMove,
  });
  return (
    <Card
      ref={setNodeRef}
      withBorder
      padding="xs"
      className="rl-card"
      data-dragging={isDragging}
      data-testid="deal-card"
      data-opportunity-id={opp.id}
      aria-label={`${opp.name}, ${fmt.money(opp.amount)}`}
      {...attributes}
      {...listeners}
    >
      <DealCardBody opp={opp} fmt={fmt} ownerName={ownerName} />
    </Card>
  );
}
