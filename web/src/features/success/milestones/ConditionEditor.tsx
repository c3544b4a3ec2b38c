import { Button, Card, Group, NumberInput, Select, TextInput } from '@mantine/core';
import type { ConditionDraft } from './draft';
import { MEASURES, type Measure } from './milestones.api';

/** The message for a path, or the first one inside it. */
const errorAt = (errors: Record<string, string>, path: string) =>
  errors[path] ?? Object.entries(errors).find(([k]) => k.startsWith(`${path}.`))?.[1];

/** One condition of a rule: a label, which events, what is measured over them, and the target. */
export function ConditionEditor({
  condition: c,
  index,
  errors,
  canRemove,
  onChange,
  onRemove,
}: {
  condition: ConditionDraft;
  index: number;
  /** Errors for this condition, keyed by the path inside it (`measure`, `property`). */
  errors: Record<string, string>;
  canRemove: boolean;
  onChange: (c: ConditionDraft) => void;
  onRemove: () => void;
}) {
  const title = `Condition ${index + 1}`;
  return (
    <Card withBorder padding="sm" component="section" aria-label={title}>
      <Group gap="xs" align="flex-start" wrap="wrap">
        <TextInput
          size="xs"
          label="Label"
          value={c.label}
          onChange={(e) => onChange({ ...c, label: e.currentTarget.value })}
          error={errorAt(errors, 'label')}
          maxLength={100}
          w={180}
        />
        <TextInput
          size="xs"
          label="Events"
          description="comma-separated; empty: any event"
          value={c.events}
          onChange={(e) => onChange({ ...c, events: e.currentTarget.value })}
          error={errorAt(errors, 'event')}
          w={220}
        />
        <Select
          size="xs"
          label="Measure"
          data={MEASURES}
          value={c.measure}
          onChange={(v) => v && onChange({ ...c, measure: v as Measure })}
          error={errorAt(errors, 'measure')}
          allowDeselect={false}
          w={220}
        />
        <TextInput
          size="xs"
          label="Property"
          description={c.measure === 'distinct_values' ? 'whose distinct values count' : 'distinct values only'}
          value={c.measure === 'distinct_values' ? c.property : ''}
          disabled={c.measure !== 'distinct_values'}
          onChange={(e) => onChange({ ...c, property: e.currentTarget.value })}
          error={errorAt(errors, 'property')}
          maxLength={200}
          w={170}
        />
        <NumberInput
          size="xs"
          label="At least"
          value={c.atLeast}
          onChange={(v) => onChange({ ...c, atLeast: v })}
          error={errorAt(errors, 'atLeast')}
          allowDecimal={false}
          w={110}
        />
        <Button size="xs" variant="subtle" color="red" mt={22} onClick={onRemove} disabled={!canRemove} aria-label={`Remove ${title}`}>
          Remove
        </Button>
      </Group>
    </Card>
  );
}
