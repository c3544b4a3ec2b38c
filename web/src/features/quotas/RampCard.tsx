import { Button, Card, Group, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ErrorState } from '../../components/ErrorState';
import { errorsOf } from '../../components/forms';
import { useRamp, useSetRamp } from './quotas.api';

/** "25, 50, 75, 100" -> [25, 50, 75, 100]; a word that is not a number becomes -1, which the server refuses by step. */
const parseSteps = (s: string) =>
  s
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((x) => Number(x.replace('%', '')));

/** The workspace ramp for new hires (admins and sales ops): percent of quota carried in months 1, 2, ... after hire. */
export function RampCard() {
  const q = useRamp(true);
  const save = useSetRamp();
  const [text, setText] = useState('');
  useEffect(() => {
    if (q.data) setText(q.data.ramp.join(', '));
  }, [q.data]);
  const { fields, message } = errorsOf(save.error);
  const error = fields.ramp ?? Object.entries(fields).find(([k]) => k.startsWith('ramp'))?.[1] ?? (save.error ? message : null);
  return (
    <Card withBorder padding="md" mb="md" component="section" aria-label="Ramp">
      <Text fw={600}>Ramp for new hires</Text>
      <Text size="xs" c="dimmed" mb="xs">
        Percent of quota carried in the hire month, the next month and so on; never decreasing, ending at 100.
        {q.data?.isDefault ? ' (Default.)' : ''}
      </Text>
      {q.error ? <ErrorState error={q.error} what="the ramp" /> : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(parseSteps(text).map((n) => (Number.isFinite(n) ? n : -1)));
        }}
      >
        <Group gap="sm" align="flex-start">
          <TextInput
            size="xs"
            label="Ramp steps (%)"
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            error={error ?? undefined}
            w={260}
          />
          <Button size="xs" type="submit" mt={22} loading={save.isPending}>
            Save ramp
          </Button>
        </Group>
      </form>
      {save.isSuccess && !save.error ? (
        <Text size="sm" c="teal" mt="xs" role="status">
          Ramp saved: {save.data.ramp.join(' / ')}%
        </Text>
      ) : null}
    </Card>
  );
}
