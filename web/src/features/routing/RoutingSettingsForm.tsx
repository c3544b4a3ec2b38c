import { Button, Checkbox, Group, NumberInput, Select, SimpleGrid, Stack, Table, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { patch } from '../../api/client';
import { CHANNELS, label, options, SOURCE_TYPES } from '../../api/domain';
import { useSession } from '../../app/session';
import { FormError } from '../../components/ErrorState';
import { errorsOf } from '../../components/forms';
import { type ChannelRule, type RoutingSettings, routingKeys } from './routing.api';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

type Draft = Omit<RoutingSettings, 'updatedAt' | 'webFormKey' | 'webhookUrl'> & { webhookUrl: string };

const draftOf = (s: RoutingSettings): Draft => ({
  fallbackQueue: s.fallbackQueue,
  // One row per channel, in the app's order, whatever the stored list holds.
  channelRules: CHANNELS.map(
    (channel) => s.channelRules.find((r) => r.channel === channel) ?? { channel, sourceType: 'net', direction: 'inbound' },
  ),
  businessCalendar: { ...s.businessCalendar, holidays: [...(s.businessCalendar.holidays ?? [])] },
  firstTouchSlaMinutes: s.firstTouchSlaMinutes,
  handoffSlaMinutes: s.handoffSlaMinutes,
  slaWarningPercent: s.slaWarningPercent,
  webhookUrl: s.webhookUrl ?? '',
});

/** The fallback queue, how channels classify leads, the business calendar the SLAs count in, the SLAs, the webhook. */
export function RoutingSettingsForm({ settings }: { settings: RoutingSettings }) {
  const me = useSession();
  const qc = useQueryClient();
  const [d, setD] = useState<Draft>(() => draftOf(settings));
  useEffect(() => setD(draftOf(settings)), [settings]);
  const save = useMutation({
    mutationFn: () => patch<RoutingSettings>('/routing/settings', { ...d, webhookUrl: d.webhookUrl.trim() || null }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: routingKeys.config });
      notifications.show({ color: 'green', message: 'Routing settings saved' });
    },
  });
  const { fields, message } = errorsOf(save.error);
  const f = (path: string) => fields[path] ?? Object.entries(fields).find(([k]) => k.startsWith(`${path}.`))?.[1];
  const cal = d.businessCalendar;
  const setCal = (p: Partial<Draft['businessCalendar']>) => setD({ ...d, businessCalendar: { ...cal, ...p } });
  const setChannel = (i: number, p: Partial<ChannelRule>) =>
    setD({ ...d, channelRules: d.channelRules.map((r, j) => (j === i ? { ...r, ...p } : r)) });
  const int = (v: string | number) => (v === '' ? 0 : Number(v));

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
      noValidate
    >
      <Stack maw={900}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Fallback queue"
            description="Where leads no rule takes wait"
            value={d.fallbackQueue}
            onChange={(e) => setD({ ...d, fallbackQueue: e.currentTarget.value })}
            error={f('fallbackQueue')}
            maxLength={60}
          />
          <TextInput
            label="Webhook URL"
            description="Slack-compatible JSON on assignment, SLA warning and breach; empty for none"
            value={d.webhookUrl}
            onChange={(e) => setD({ ...d, webhookUrl: e.currentTarget.value })}
            error={f('webhookUrl')}
            placeholder="https://hooks.slack.com/services/…"
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NumberInput
            label="First-touch SLA (business minutes)"
            value={d.firstTouchSlaMinutes}
            onChange={(v) => setD({ ...d, firstTouchSlaMinutes: int(v) })}
            error={f('firstTouchSlaMinutes')}
            min={1}
            allowDecimal={false}
          />
          <NumberInput
            label="Handoff SLA (business minutes)"
            value={d.handoffSlaMinutes}
            onChange={(v) => setD({ ...d, handoffSlaMinutes: int(v) })}
            error={f('handoffSlaMinutes')}
            min={1}
            allowDecimal={false}
          />
          <NumberInput
            label="SLA warning at (%)"
            value={d.slaWarningPercent}
            onChange={(v) => setD({ ...d, slaWarningPercent: int(v) })}
            error={f('slaWarningPercent')}
            min={1}
            max={99}
            allowDecimal={false}
          />
        </SimpleGrid>

        <Title order={5}>Business calendar ({me.workspace.timezone})</Title>
        <Checkbox.Group
          label="Business days"
          value={cal.days.map(String)}
          onChange={(v) => setCal({ days: v.map(Number).sort() })}
          error={f('businessCalendar.days')}
        >
          <Group gap="md" mt={4}>
            {DAYS.map((day, i) => (
              <Checkbox key={day} value={String(i + 1)} label={day} />
            ))}
          </Group>
        </Checkbox.Group>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label="Opens at"
            type="time"
            value={cal.start}
            onChange={(e) => setCal({ start: e.currentTarget.value })}
            error={f('businessCalendar.start')}
          />
          <TextInput
            label="Closes at"
            type="time"
            value={cal.end}
            onChange={(e) => setCal({ end: e.currentTarget.value })}
            error={f('businessCalendar.end')}
          />
          <TagsInput
            label="Holidays"
            description="YYYY-MM-DD, Enter after each"
            value={cal.holidays}
            onChange={(v) => setCal({ holidays: v.map((x) => x.trim()) })}
            error={f('businessCalendar.holidays')}
            clearable
          />
        </SimpleGrid>

        <Title order={5}>Channels</Title>
        <Text size="sm" c="dimmed">
          How a lead's channel sets its source type (unless the lead brings its own) and whether it is inbound or outbound work.
        </Text>
        {f('channelRules') ? (
          <Text size="sm" c="red" role="alert">
            {f('channelRules')}
          </Text>
        ) : null}
        <Table verticalSpacing={4} aria-label="Channel rules" maw={600}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Channel</Table.Th>
              <Table.Th>Source type</Table.Th>
              <Table.Th>Direction</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.channelRules.map((r, i) => (
              <Table.Tr key={r.channel}>
                <Table.Td>{label(r.channel)}</Table.Td>
                <Table.Td>
                  <Select
                    size="xs"
                    aria-label={`${label(r.channel)} source type`}
                    data={options(SOURCE_TYPES)}
                    value={r.sourceType}
                    onChange={(v) => v && setChannel(i, { sourceType: v as ChannelRule['sourceType'] })}
                    allowDeselect={false}
                  />
                </Table.Td>
                <Table.Td>
                  <Select
                    size="xs"
                    aria-label={`${label(r.channel)} direction`}
                    data={[
                      { value: 'inbound', label: 'Inbound' },
                      { value: 'outbound', label: 'Outbound' },
                    ]}
                    value={r.direction}
                    onChange={(v) => v && setChannel(i, { direction: v as ChannelRule['direction'] })}
                    allowDeselect={false}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <FormError error={Object.keys(fields).length ? null : message} />
        {Object.keys(fields).length ? (
          <Text size="sm" c="red" role="alert">
            Not saved: {message}
          </Text>
        ) : null}
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save settings
          </Button>
          <Button variant="subtle" onClick={() => setD(draftOf(settings))}>
            Discard changes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
