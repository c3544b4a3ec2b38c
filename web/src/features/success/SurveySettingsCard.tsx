import { Alert, Button, Card, Checkbox, Group, MultiSelect, NumberInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ErrorState, FormError } from '../../components/ErrorState';
import { errorsOf } from '../../components/forms';
import { userOptions, useUsers } from '../../components/users';
import { type SettingsInput, type SurveySettings, useSaveSurveySettings, useSurveySettings } from './surveys.api';

type Draft = SettingsInput & { useDefaultStages: boolean; stages: string[] };

const draftOf = (s: SurveySettings): Draft => ({
  delayDays: s.delayDays,
  reminderDays: s.reminderDays,
  tokenDays: s.tokenDays,
  threshold: s.threshold,
  minRatings: s.minRatings,
  alertStages: s.alertStagesDefault ? null : s.alertStages,
  alertUserIds: s.alertUserIds,
  useDefaultStages: s.alertStagesDefault,
  stages: s.alertStages,
});

/** Where the mail goes out, or why it does not. */
function SmtpState({ smtp }: { smtp: SurveySettings['smtp'] }) {
  return smtp.configured ? (
    <Alert color="teal" variant="light" title="Email is on" mb="sm">
      <Text size="sm">Surveys are sent through {smtp.server}.</Text>
    </Alert>
  ) : (
    <Alert color="orange" variant="light" title="Email is off" mb="sm">
      <Text size="sm">{smtp.message}. Set SMTP_URL (and MAIL_FROM) in the server's environment and restart it.</Text>
    </Alert>
  );
}

/** Admins and sales ops: when buyers are asked, how long links work, what makes a rep low-rated and who hears about it. */
export function SurveySettingsCard() {
  const q = useSurveySettings(true);
  const save = useSaveSurveySettings();
  const { users } = useUsers();
  const [d, setD] = useState<Draft | null>(null);
  useEffect(() => {
    if (q.data) setD(draftOf(q.data));
  }, [q.data]);
  const { fields, message } = errorsOf(save.error);
  const f = (path: string) => fields[path] ?? Object.entries(fields).find(([k]) => k.startsWith(`${path}.`))?.[1];
  const int = (v: string | number) => (v === '' ? 0 : Number(v));
  return (
    <Card withBorder padding="md" mb="md" component="section" aria-label="Survey settings">
      <Text fw={600} mb="xs">
        Survey settings
      </Text>
      {q.error ? <ErrorState error={q.error} what="the survey settings" /> : null}
      {q.data && d ? (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const { useDefaultStages, stages, ...input } = d;
            save.mutate({ ...input, threshold: input.threshold.trim(), alertStages: useDefaultStages ? null : stages });
          }}
        >
          <SmtpState smtp={q.data.smtp} />
          <Stack maw={900}>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <NumberInput
                label="Ask the buyer after (days)"
                description="Days after the close; late enough for problems to show"
                value={d.delayDays}
                onChange={(v) => setD({ ...d, delayDays: int(v) })}
                error={f('delayDays')}
                allowDecimal={false}
              />
              <NumberInput
                label="Reminder after (days)"
                description="One reminder if the buyer has not answered"
                value={d.reminderDays}
                onChange={(v) => setD({ ...d, reminderDays: int(v) })}
                error={f('reminderDays')}
                allowDecimal={false}
              />
              <NumberInput
                label="Links valid for (days)"
                value={d.tokenDays}
                onChange={(v) => setD({ ...d, tokenDays: int(v) })}
                error={f('tokenDays')}
                allowDecimal={false}
              />
              <TextInput
                label="Low-rating threshold"
                description="A rep averaging below this is low-rated"
                inputMode="decimal"
                value={d.threshold}
                onChange={(e) => setD({ ...d, threshold: e.currentTarget.value })}
                error={f('threshold')}
              />
              <NumberInput
                label="Minimum ratings"
                description="Ratings a rep needs before the threshold applies"
                value={d.minRatings}
                onChange={(v) => setD({ ...d, minRatings: int(v) })}
                error={f('minRatings')}
                allowDecimal={false}
              />
            </SimpleGrid>
            <Checkbox
              label={`Alert on the default stages (${q.data.defaultAlertStages.join(', ')})`}
              checked={d.useDefaultStages}
              onChange={(e) => setD({ ...d, useDefaultStages: e.currentTarget.checked })}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <MultiSelect
                label="Alert stages"
                description="A low-rated rep's deal reaching one of these alerts customer success"
                data={q.data.openStages}
                value={d.useDefaultStages ? q.data.defaultAlertStages : d.stages}
                onChange={(v) => setD({ ...d, stages: v })}
                disabled={d.useDefaultStages}
                error={f('alertStages')}
              />
              <MultiSelect
                label="Executives to alert"
                description="On top of customer success (the account's CSM, else every CSM)"
                data={userOptions(users)}
                value={d.alertUserIds}
                onChange={(v) => setD({ ...d, alertUserIds: v })}
                error={f('alertUserIds')}
                searchable
              />
            </SimpleGrid>
            <FormError error={Object.keys(fields).length ? null : message} />
            <Group>
              <Button type="submit" loading={save.isPending}>
                Save survey settings
              </Button>
              {save.isSuccess && !save.error ? (
                <Text size="sm" c="teal" role="status">
                  Saved
                </Text>
              ) : null}
            </Group>
          </Stack>
        </form>
      ) : null}
    </Card>
  );
}
