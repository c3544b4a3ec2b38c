import { Badge, Button, Group, Table, Text } from '@mantine/core';
import { ruleSummary } from './draft';
import { type Milestone, STATUS_COLOR } from './milestones.api';

/** Every milestone with its rule in a line and its accounts per status; writers get an edit button per row. */
export function MilestoneList({ items, onEdit }: { items: Milestone[]; onEdit: ((m: Milestone) => void) | null }) {
  if (!items.length)
    return (
      <Text c="dimmed" size="sm" mb="md">
        No milestone yet: start from a template above.
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={800} mb="md">
      <Table verticalSpacing="xs" aria-label="Milestones">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Milestone</Table.Th>
            <Table.Th>Applies to</Table.Th>
            <Table.Th>Window</Table.Th>
            <Table.Th>Rule</Table.Th>
            <Table.Th>Accounts</Table.Th>
            <Table.Th w={80} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((m) => (
            <Table.Tr key={m.id} data-testid="milestone-row">
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" fw={500}>
                    {m.name}
                  </Text>
                  {m.active ? null : (
                    <Badge size="xs" color="gray" variant="light">
                      Inactive
                    </Badge>
                  )}
                  {m.template ? (
                    <Badge size="xs" variant="outline">
                      {m.template}
                    </Badge>
                  ) : null}
                </Group>
              </Table.Td>
              <Table.Td>{m.plan ? `Plan ${m.plan}` : 'Default (other plans)'}</Table.Td>
              <Table.Td>{m.windowDays} days</Table.Td>
              <Table.Td>
                <Text size="sm">{ruleSummary(m.rule.all)}</Text>
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  {(['pending', 'reached', 'missed'] as const).map((s) => (
                    <Badge key={s} size="sm" variant="light" color={STATUS_COLOR[s]}>
                      {m.accounts[s]} {s}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                {onEdit ? (
                  <Button size="xs" variant="subtle" onClick={() => onEdit(m)} aria-label={`Edit ${m.name}`}>
                    Edit
                  </Button>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
