import { Button, Card, Group, Select, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useAccess, useSession } from '../../app/session';
import { FormError } from '../../components/ErrorState';
import { errorsOf } from '../../components/forms';
import { useUsers } from '../../components/users';
import { METRICS, metricsFor, useSetQuota } from './quotas.api';

/** Mirrors the server's rule (quotas.service.ts maySet): admins and sales ops anyone, a manager their teams' members, not themselves. */
export function useMaySetQuota() {
  const access = useAccess();
  const { managedUserIds } = useSession();
  return (userId: string) => access.writeAll || (access.isManager && managedUserIds.includes(userId) && userId !== access.userId);
}

/** The amount of one attainment row, editable in place; the server's field errors show under the input. */
export function InlineQuota({
  userId,
  name,
  metric,
  period,
  shown,
}: {
  userId: string;
  name: string;
  metric: string;
  period: string;
  shown: React.ReactNode;
}) {
  const [editing, setEditing] = useState(false);
  const [amount, setAmount] = useState('');
  const save = useSetQuota();
  const { fields, message } = errorsOf(save.error);
  if (!editing)
    return (
      <Group gap={6} justify="flex-end" wrap="nowrap">
        <span>{shown}</span>
        <Button size="compact-xs" variant="subtle" aria-label={`Edit quota of ${name}`} onClick={() => setEditing(true)}>
          Edit
        </Button>
      </Group>
    );
  const otherError = fields.amount ? null : (fields.period ?? fields.metric ?? (save.error ? message : null));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ userId, metric, period, amount: amount.trim() }, { onSuccess: () => setEditing(false) });
      }}
    >
      <Group gap={6} justify="flex-end" align="flex-start" wrap="nowrap">
        <TextInput
          size="xs"
          aria-label={`Quota of ${name} for ${period}`}
          placeholder="e.g. 250000"
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.currentTarget.value)}
          error={fields.amount ?? otherError ?? undefined}
          w={150}
          autoFocus
        />
        <Button size="xs" type="submit" loading={save.isPending}>
          Save
        </Button>
        <Button size="xs" variant="default" onClick={() => setEditing(false)}>
          Cancel
        </Button>
      </Group>
    </form>
  );
}

/** Set a quota for anyone the caller may: the metric list follows the person's roles (AE, SDR, CSM). */
export function SetQuotaCard({ period }: { period: string }) {
  const { users } = useUsers();
  const maySet = useMaySetQuota();
  const people = users.filter((u) => u.active && maySet(u.id) && metricsFor(u.roles).length > 0);
  const [userId, setUserId] = useState<string | null>(null);
  const [metric, setMetric] = useState<string | null>(null);
  const [quotaPeriod, setQuotaPeriod] = useState('');
  const [amount, setAmount] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const save = useSetQuota();
  const { fields, message } = errorsOf(save.error);
  const person = people.find((u) => u.id === userId);
  const metrics = person ? metricsFor(person.roles) : METRICS;
  const effectivePeriod = quotaPeriod.trim() || period;
  const fieldNamed = ['userId', 'metric', 'period', 'amount'].some((f) => fields[f]);
  if (people.length === 0) return null;
  return (
    <Card withBorder padding="md" mb="md" component="section" aria-label="Set a quota">
      <Text fw={600}>Set a quota</Text>
      <Text size="xs" c="dimmed" mb="xs">
        AEs carry new ARR, SDRs accepted leads or pipeline created, CSMs expansion ARR. Setting the same person, metric and period again
        updates it.
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(null);
          save.mutate(
            { userId: userId ?? '', metric: metric ?? '', period: effectivePeriod, amount: amount.trim() },
            { onSuccess: (q) => setSaved(`Saved: ${person?.name ?? ''} ${q.metric} ${q.period}`) },
          );
        }}
      >
        <Group gap="sm" align="flex-start" wrap="wrap">
          <Select
            size="xs"
            label="Person"
            data={people.map((u) => ({ value: u.id, label: u.name }))}
            value={userId}
            onChange={(v) => {
              setUserId(v);
              const fits = metricsFor(people.find((u) => u.id === v)?.roles ?? []);
              setMetric(fits.length === 1 || !fits.some((m) => m.value === metric) ? (fits[0]?.value ?? null) : metric);
            }}
            searchable
            error={fields.userId}
            w={200}
          />
          <Select
            size="xs"
            label="Metric"
            data={metrics.map((m) => ({ value: m.value, label: m.label }))}
            value={metric}
            onChange={setMetric}
            allowDeselect={false}
            error={fields.metric}
            w={170}
          />
          <TextInput
            size="xs"
            label="Quota period"
            placeholder={period}
            value={quotaPeriod}
            onChange={(e) => setQuotaPeriod(e.currentTarget.value)}
            error={fields.period}
            w={130}
          />
          <TextInput
            size="xs"
            label="Amount"
            placeholder="e.g. 250000"
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.currentTarget.value)}
            error={fields.amount}
            w={160}
          />
          <Button size="xs" type="submit" mt={22} loading={save.isPending}>
            Save quota
          </Button>
        </Group>
      </form>
      {save.error && !fieldNamed ? <FormError error={message} /> : null}
      {saved && !save.error ? (
        <Text size="sm" c="teal" mt="xs" role="status">
          {saved}
        </Text>
      ) : null}
    </Card>
  );
}
