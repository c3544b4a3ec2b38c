import { Button, Card, Group, NumberInput, Stack, Switch, Table, Text, Textarea, TextInput } from '@mantine/core';
import type { Criterion, ScoreOption } from './routing.api';

/** The message for a path, or the first one inside it. */
export const errorAt = (errors: Record<string, string>, path: string) =>
  errors[path] ?? Object.entries(errors).find(([k]) => k.startsWith(`${path}.`))?.[1];

/** One scorecard criterion: its question, required or not, and the answers with their points. */
export function CriterionCard({
  criterion: c,
  index,
  count,
  errors,
  onChange,
  onMove,
  onRemove,
}: {
  criterion: Criterion;
  index: number;
  count: number;
  /** Errors for this criterion, keyed by the path inside it (`key`, `options.1.points`). */
  errors: Record<string, string>;
  onChange: (c: Criterion) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}) {
  const setOption = (j: number, p: Partial<ScoreOption>) =>
    onChange({ ...c, options: c.options.map((o, k) => (k === j ? { ...o, ...p } : o)) });
  const title = `Criterion ${index + 1}`;
  const invalid = Object.keys(errors).length > 0;
  return (
    <Card
      withBorder
      component="section"
      aria-label={`${title}: ${c.label}`}
      style={invalid ? { borderColor: 'var(--mantine-color-red-5)' } : undefined}
    >
      <Group justify="space-between" align="flex-start" mb="xs" wrap="nowrap">
        <Group gap="xs" align="flex-start" style={{ flex: 1 }}>
          <TextInput
            label="Label"
            value={c.label}
            onChange={(e) => onChange({ ...c, label: e.currentTarget.value })}
            error={errorAt(errors, 'label')}
            maxLength={200}
          />
          <TextInput
            label="Key"
            title="lowercase letters, digits and _; stored with the answers"
            value={c.key}
            onChange={(e) => onChange({ ...c, key: e.currentTarget.value })}
            error={errorAt(errors, 'key')}
            maxLength={40}
            w={180}
          />
          <Switch label="Required" checked={c.required} onChange={(e) => onChange({ ...c, required: e.currentTarget.checked })} mt={30} />
        </Group>
        <Group gap={4} wrap="nowrap">
          <Button size="xs" variant="default" onClick={() => onMove(-1)} disabled={index === 0} aria-label={`Move ${title} up`}>
            ↑
          </Button>
          <Button size="xs" variant="default" onClick={() => onMove(1)} disabled={index === count - 1} aria-label={`Move ${title} down`}>
            ↓
          </Button>
          <Button size="xs" variant="subtle" color="red" onClick={onRemove} aria-label={`Remove ${title}`}>
            Remove
          </Button>
        </Group>
      </Group>
      <Textarea
        label="Question"
        value={c.question}
        onChange={(e) => onChange({ ...c, question: e.currentTarget.value })}
        error={errorAt(errors, 'question')}
        autosize
        minRows={1}
        maxLength={500}
        mb="xs"
      />
      <Table verticalSpacing={4} aria-label={`${title} answers`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Answer</Table.Th>
            <Table.Th w={160}>Value</Table.Th>
            <Table.Th w={110}>Points</Table.Th>
            <Table.Th w={80} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {c.options.map((o, j) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: options have no identity of their own while being edited
            <Table.Tr key={j}>
              <Table.Td>
                <TextInput
                  size="xs"
                  aria-label={`Answer ${j + 1} label`}
                  value={o.label}
                  onChange={(e) => setOption(j, { label: e.currentTarget.value })}
                  error={errorAt(errors, `options.${j}.label`)}
                  maxLength={200}
                />
              </Table.Td>
              <Table.Td>
                <TextInput
                  size="xs"
                  aria-label={`Answer ${j + 1} value`}
                  value={o.value}
                  onChange={(e) => setOption(j, { value: e.currentTarget.value })}
                  error={errorAt(errors, `options.${j}.value`)}
                  maxLength={60}
                />
              </Table.Td>
              <Table.Td>
                <NumberInput
                  size="xs"
                  aria-label={`Answer ${j + 1} points`}
                  value={o.points}
                  onChange={(v) => setOption(j, { points: v === '' ? 0 : Number(v) })}
                  error={errorAt(errors, `options.${j}.points`)}
                  min={0}
                  max={100}
                  allowDecimal={false}
                />
              </Table.Td>
              <Table.Td>
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  onClick={() => onChange({ ...c, options: c.options.filter((_, k) => k !== j) })}
                  aria-label={`Remove answer ${j + 1}`}
                >
                  Remove
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Stack gap={4} mt={4}>
        {errors.options ? (
          <Text size="sm" c="red" role="alert">
            Answers: {errors.options}
          </Text>
        ) : null}
        <Button
          size="xs"
          variant="light"
          w="fit-content"
          onClick={() =>
            onChange({ ...c, options: [...c.options, { value: `option_${c.options.length + 1}`, label: 'New answer', points: 0 }] })
          }
        >
          Add answer
        </Button>
      </Stack>
    </Card>
  );
}
