import { Button, Group, NumberInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ErrorState, FormError } from '../../../components/ErrorState';
import { errorsOf } from '../../../components/forms';
import { FACTOR_LABEL, type HealthSettings, type HealthSettingsInput, useHealthSettings, useSaveHealthSettings } from './health.api';

type Section = Exclude<keyof HealthSettings, 'events'>;
type NumberField<S extends Section> = { key: keyof HealthSettings[S] & string; label: string; description?: string; decimal?: boolean };

const WEIGHTS: NumberField<'weights'>[] = (Object.keys(FACTOR_LABEL) as (keyof typeof FACTOR_LABEL)[]).map((k) => ({
  key: k,
  label: FACTOR_LABEL[k],
  decimal: true,
}));
const BANDS: NumberField<'bands'>[] = [
  { key: 'healthy', label: 'Healthy from (score)', description: 'A score at or above this is healthy' },
  { key: 'atRisk', label: 'At risk from (score)', description: 'Below this is critical' },
];
const SIGNALS: NumberField<'signals'>[] = [
  { key: 'healthDropPoints', label: 'Health drop (points)', description: 'Churn risk: score this far below its recent best' },
  { key: 'healthDropDays', label: 'Health drop over (days)', description: 'How far back the best score is taken' },
  { key: 'usageDeclinePercent', label: 'Usage decline (%)', description: 'Churn risk: last 30 days below the 30 before' },
  { key: 'usageDeclineMinEvents', label: 'Usage decline minimum events', description: 'Fewer events before is noise' },
  { key: 'seatUsePercent', label: 'Seats used (%)', description: 'Expansion: seats used of seats bought' },
  { key: 'planLimitHits', label: 'Plan limit hits', description: 'Expansion: hits within the lookback' },
  { key: 'lookbackDays', label: 'Lookback (days)', description: 'Missed milestones, new teams, plan limits' },
  { key: 'cooldownDays', label: 'Cooldown (days)', description: 'Wait after a closed task before raising it again' },
];
const PROBABILITIES: NumberField<'renewalProbability'>[] = [
  { key: 'healthy', label: 'Healthy', decimal: true },
  { key: 'atRisk', label: 'At risk', decimal: true },
  { key: 'critical', label: 'Critical', decimal: true },
  { key: 'unscored', label: 'Not scored', decimal: true },
];
const DUE_DAYS: NumberField<'taskDueDays'>[] = [
  { key: 'churnRisk', label: 'Churn risk task due in (days)' },
  { key: 'expansion', label: 'Expansion task due in (days)' },
];
const EVENTS: { key: keyof HealthSettings['events']; label: string; description: string }[] = [
  { key: 'supportTicket', label: 'Support ticket event', description: 'Sent by the support tool' },
  { key: 'planLimit', label: 'Plan limit event', description: 'Sent by the product' },
  { key: 'teamProperty', label: 'Team property', description: 'Event property naming the team' },
];
/** Every path the form shows next to a field; an error on any other path is shown as the whole message. */
const SHOWN = new Set([
  'weights',
  ...[
    ['weights', WEIGHTS],
    ['bands', BANDS],
    ['signals', SIGNALS],
    ['renewalProbability', PROBABILITIES],
    ['taskDueDays', DUE_DAYS],
    ['events', EVENTS],
  ].flatMap(([section, list]) => (list as { key: string }[]).map((n) => `${section}.${n.key}`)),
]);

/** Admins and sales ops: how health is scored and banded, when signals raise tasks, how renewals are forecast. */
export function HealthSettingsCard() {
  const q = useHealthSettings();
  const save = useSaveHealthSettings();
  const [d, setD] = useState<HealthSettingsInput | null>(null);
  useEffect(() => {
    if (q.data) setD(q.data.settings);
  }, [q.data]);
  const { fields, message } = errorsOf(save.error);
  const allShown = Object.keys(fields).length > 0 && Object.keys(fields).every((p) => SHOWN.has(p));
  if (q.error) return <ErrorState error={q.error} what="the health score settings" />;
  if (!d) return null;

  const numbers = <S extends Section>(section: S, list: NumberField<S>[]) =>
    list.map((n) => {
      const values = d[section] as Record<string, number | null>;
      return (
        <NumberInput
          key={n.key}
          label={n.label}
          description={n.description}
          value={values[n.key] ?? ''}
          // A cleared input is sent as null so the server refuses it on this field rather than saving 0.
          onChange={(v) => setD({ ...d, [section]: { ...values, [n.key]: v === '' ? null : Number(v) } })}
          error={fields[`${section}.${n.key}`]}
          allowDecimal={n.decimal ?? false}
          step={section === 'renewalProbability' ? 0.05 : 1}
        />
      );
    });
  const sectionError = (path: string) =>
    fields[path] ? (
      <Text size="sm" c="red" role="alert">
        {fields[path]}
      </Text>
    ) : null;

  return (
    <section aria-label="Health score settings">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(d);
        }}
      >
        <Stack maw={1000}>
          {q.data?.isDefault ? (
            <Text size="sm" c="dimmed">
              The workspace uses the default settings.
            </Text>
          ) : null}
          <Title order={6}>Factor weights</Title>
          <Text size="sm" c="dimmed" mt={-12}>
            Relative weights: only their proportions matter; 0 leaves a factor out.
          </Text>
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>{numbers('weights', WEIGHTS)}</SimpleGrid>
          {sectionError('weights')}
          <Title order={6}>Bands</Title>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>{numbers('bands', BANDS)}</SimpleGrid>
          <Title order={6}>Renewal probability by band (0 to 1)</Title>
          <SimpleGrid cols={{ base: 2, sm: 4 }}>{numbers('renewalProbability', PROBABILITIES)}</SimpleGrid>
          <Title order={6}>Signals</Title>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
            {numbers('signals', SIGNALS)}
            {numbers('taskDueDays', DUE_DAYS)}
          </SimpleGrid>
          <Title order={6}>Event names</Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {EVENTS.map((ev) => (
              <TextInput
                key={ev.key}
                label={ev.label}
                description={ev.description}
                value={d.events[ev.key]}
                onChange={(e) => setD({ ...d, events: { ...d.events, [ev.key]: e.currentTarget.value } })}
                error={fields[`events.${ev.key}`]}
                maxLength={200}
              />
            ))}
          </SimpleGrid>
          <FormError error={allShown ? null : message} />
          <Group>
            <Button type="submit" loading={save.isPending}>
              Save health settings
            </Button>
            {save.isSuccess ? (
              <Text size="sm" c="teal" role="status">
                Saved
              </Text>
            ) : null}
          </Group>
        </Stack>
      </form>
    </section>
  );
}
