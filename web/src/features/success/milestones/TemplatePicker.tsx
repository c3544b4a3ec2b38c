import { Button, Card, Group, SimpleGrid, Text } from '@mantine/core';
import { QueryState } from '../../../components/ErrorState';
import { ruleSummary } from './draft';
import { type MilestoneTemplate, useTemplates } from './milestones.api';

/** The published activation moments to start from, or a blank milestone. */
export function TemplatePicker({ onPick, onScratch }: { onPick: (t: MilestoneTemplate) => void; onScratch: () => void }) {
  const templates = useTemplates();
  return (
    <Card withBorder padding="md" mb="md" component="section" aria-label="Templates">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>Start from a template</Text>
        <Button size="xs" variant="default" onClick={onScratch}>
          Start from scratch
        </Button>
      </Group>
      <QueryState query={templates} what="the templates">
        {(data) => (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
            {data.items.map((t) => (
              <Card key={t.key} withBorder padding="sm" component="article" aria-label={`Template ${t.name}`}>
                <Text size="sm" fw={600}>
                  {t.name}
                </Text>
                <Text size="xs" c="dimmed" lineClamp={3} title={t.description} mb={4}>
                  {t.description}
                </Text>
                <Text size="xs" mb="xs">
                  {ruleSummary(t.rule.all)} within {t.windowDays} days
                </Text>
                <Button size="xs" variant="light" onClick={() => onPick(t)} aria-label={`Use template ${t.name}`}>
                  Use template
                </Button>
              </Card>
            ))}
          </SimpleGrid>
        )}
      </QueryState>
    </Card>
  );
}
