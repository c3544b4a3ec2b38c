import { Alert, Button, Card, Group, NumberInput, Stack, Switch, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ApiError } from '../../../api/client';
import { ConditionEditor } from './ConditionEditor';
import { blankCondition, bodyOf, type MilestoneDraft } from './draft';
import { useSaveMilestone } from './milestones.api';

/** The fields of the condition at `index`, from the API's `rule.all.<index>.<field>` paths. */
const conditionErrors = (fields: Record<string, string>, index: number) => {
  const prefix = `rule.all.${index}.`;
  return Object.fromEntries(Object.entries(fields).flatMap(([k, v]) => (k.startsWith(prefix) ? [[k.slice(prefix.length), v]] : [])));
};

/** Create or edit one milestone: name, plan, window, active, and its conditions; the server's field errors in place. */
export function MilestoneEditor({ initial, onDone }: { initial: MilestoneDraft; onDone: () => void }) {
  const [d, setD] = useState(initial);
  const save = useSaveMilestone();
  const fields = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  const known = new Set(['name', 'plan', 'windowDays', 'active', 'rule.all']);
  const other =
    save.error && !Object.keys(fields).some((k) => known.has(k) || k.startsWith('rule.all.')) ? (save.error as Error).message : null;
  const setCondition = (i: number, c: MilestoneDraft['conditions'][number]) =>
    setD({ ...d, conditions: d.conditions.map((x, j) => (j === i ? c : x)) });

  return (
    <Card withBorder padding="md" mb="md" component="section" aria-label="Milestone editor">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(
            { id: d.id, body: bodyOf(d) },
            {
              onSuccess: (m) => {
                notifications.show({ color: 'green', message: `Milestone “${m.name}” saved` });
                onDone();
              },
            },
          );
        }}
      >
        <Text fw={600} mb="xs">
          {d.id ? `Edit ${initial.name}` : d.template ? `New milestone from the ${d.template} template` : 'New milestone'}
        </Text>
        <Group gap="sm" align="flex-start" mb="sm" wrap="wrap">
          <TextInput
            label="Name"
            value={d.name}
            onChange={(e) => setD({ ...d, name: e.currentTarget.value })}
            error={fields.name}
            w={280}
            maxLength={200}
          />
          <TextInput
            label="Plan"
            description="empty: accounts whose plan has no milestone of its own"
            value={d.plan}
            onChange={(e) => setD({ ...d, plan: e.currentTarget.value })}
            error={fields.plan}
            w={280}
            maxLength={100}
          />
          <NumberInput
            label="Window (days)"
            description="from the first won deal"
            value={d.windowDays}
            onChange={(v) => setD({ ...d, windowDays: v })}
            error={fields.windowDays}
            allowDecimal={false}
            w={150}
          />
          <Switch label="Active" checked={d.active} onChange={(e) => setD({ ...d, active: e.currentTarget.checked })} mt={34} />
        </Group>
        <Text size="sm" fw={500}>
          Reached when every condition is met by events inside the window
        </Text>
        {fields['rule.all'] ? (
          <Text size="sm" c="red" role="alert">
            {fields['rule.all']}
          </Text>
        ) : null}
        <Stack gap="xs" my="xs">
          {d.conditions.map((c, i) => (
            <ConditionEditor
              // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity of their own while being edited
              key={i}
              condition={c}
              index={i}
              errors={conditionErrors(fields, i)}
              canRemove={d.conditions.length > 1}
              onChange={(x) => setCondition(i, x)}
              onRemove={() => setD({ ...d, conditions: d.conditions.filter((_, j) => j !== i) })}
            />
          ))}
        </Stack>
        {other ? (
          <Alert color="red" variant="light" p="xs" mb="xs" role="alert">
            {other}
          </Alert>
        ) : null}
        <Group gap="xs">
          <Button
            size="xs"
            variant="default"
            onClick={() => setD({ ...d, conditions: [...d.conditions, blankCondition()] })}
            disabled={d.conditions.length >= 20}
          >
            Add condition
          </Button>
          <Button size="xs" type="submit" loading={save.isPending}>
            Save milestone
          </Button>
          <Button size="xs" variant="subtle" onClick={onDone}>
            Cancel
          </Button>
        </Group>
      </form>
    </Card>
  );
}
