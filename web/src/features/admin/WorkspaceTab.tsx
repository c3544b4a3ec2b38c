import { Button, Group, Select, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { patch } from '../../api/client';
import type { Workspace } from '../../api/types';
import { useSession } from '../../app/session';
import { FormError } from '../../components/ErrorState';
import { errorsOf } from '../../components/forms';

const zones = () => (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
const currencies = () => (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('currency');

export function WorkspaceTab() {
  const me = useSession();
  const qc = useQueryClient();
  const ws = me.workspace;
  const [name, setName] = useState(ws.name);
  const [timezone, setTimezone] = useState<string | null>(ws.timezone);
  const [currency, setCurrency] = useState<string | null>(ws.currency);
  const [stages, setStages] = useState<string[]>(ws.opportunityStages);
  const zoneOptions = useMemo(() => Array.from(new Set(['UTC', ...zones()])), []);
  const currencyOptions = useMemo(() => currencies(), []);
  const save = useMutation({
    mutationFn: () => {
      const body: Record<string, unknown> = {};
      if (name.trim() !== ws.name) body.name = name.trim();
      if (timezone && timezone !== ws.timezone) body.timezone = timezone;
      if (currency && currency !== ws.currency) body.currency = currency;
      if (stages.join() !== ws.opportunityStages.join()) body.opportunityStages = stages;
      return patch<Workspace>('/workspace', body);
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['me'] });
      notifications.show({ color: 'green', message: 'Workspace saved' });
    },
  });
  const { fields, message } = errorsOf(save.error);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack maw={560}>
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={fields.name} maxLength={200} />
        <Select
          label="Time zone"
          description="Periods (months, quarters) and dates are shown in it"
          data={zoneOptions}
          value={timezone}
          onChange={setTimezone}
          searchable
          error={fields.timezone}
          allowDeselect={false}
        />
        <Select
          label="Currency"
          description="All amounts are in this currency"
          data={currencyOptions}
          value={currency}
          onChange={setCurrency}
          searchable
          error={fields.currency}
          allowDeselect={false}
        />
        <TagsInput
          label="Opportunity stages"
          description="In order; the last two must be won and lost. Lowercase letters, digits and _."
          value={stages}
          onChange={setStages}
          error={fields.opportunityStages}
        />
        <Text size="xs" c="dimmed">
          Slug: {ws.slug}
        </Text>
        <FormError error={Object.keys(fields).length ? null : message} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save workspace
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
