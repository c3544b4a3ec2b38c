import { Badge, Button, Card, Group, SegmentedControl, Stack, Text, Textarea, TextInput, Timeline, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { get, post } from '../../api/client';
import { label } from '../../api/domain';
import type { Activity, HistoryItem, Items, Page } from '../../api/types';
import { ErrorState, FormError, PageLoader } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { errorsOf } from '../../components/forms';
import { useUsers } from '../../components/users';

type RecordType = 'lead' | 'opportunity' | 'account' | 'contact' | 'subscription';
type Entry = { key: string; at: string; kind: 'change' | 'activity'; change?: HistoryItem; activity?: Activity };

const HAS_HISTORY = new Set<RecordType>(['lead', 'opportunity', 'subscription']);

export const timelineKey = (recordType: RecordType, recordId: string) => ['timeline', recordType, recordId];

/**
 * One story per record, newest first: every status, stage and owner change (who, when, why)
 * merged with the activities people logged. New notes, calls and emails are added here too.
 */
export function RecordTimeline({ recordType, recordId }: { recordType: RecordType; recordId: string }) {
  const fmt = useFormat();
  const { name } = useUsers();
  const q = useQuery({
    queryKey: timelineKey(recordType, recordId),
    queryFn: async () => {
      const [history, activities] = await Promise.all([
        HAS_HISTORY.has(recordType) ? get<Items<HistoryItem>>('/history', { recordType, recordId }) : Promise.resolve({ items: [] }),
        get<Page<Activity>>('/activities', { recordType, recordId, limit: 200 }),
      ]);
      const entries: Entry[] = [
        ...history.items.map((c) => ({ key: `c${c.id}`, at: c.changedAt, kind: 'change' as const, change: c })),
        ...activities.items.map((a) => ({ key: `a${a.id}`, at: a.occurredAt, kind: 'activity' as const, activity: a })),
      ];
      return entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    },
  });

  return (
    <Card withBorder padding="md">
      <Title order={4} mb="sm">
        Timeline
      </Title>
      <AddActivity recordType={recordType} recordId={recordId} />
      {q.error ? <ErrorState error={q.error} what="this timeline" /> : null}
      {q.isPending ? <PageLoader /> : null}
      {q.data && q.data.length === 0 ? (
        <Text c="dimmed" size="sm" mt="md">
          Nothing has happened yet.
        </Text>
      ) : null}
      {q.data && q.data.length > 0 ? (
        <Timeline bulletSize={14} lineWidth={2} mt="md" data-testid="timeline">
          {q.data.map((e) =>
            e.change ? (
              <Timeline.Item key={e.key} title={<ChangeTitle c={e.change} ownerName={name} />}>
                {e.change.reason ? (
                  <Text size="sm" c="dimmed">
                    Reason: {e.change.reason}
                  </Text>
                ) : null}
                <Text size="xs" c="dimmed">
                  {e.change.actorName ?? 'System'} · {fmt.dateTime(e.at)}
                </Text>
              </Timeline.Item>
            ) : (
              <Timeline.Item
                key={e.key}
                title={
                  <Group gap={6}>
                    <Badge size="xs" variant="light">
                      {label(e.activity!.kind)}
                    </Badge>
                    <Text size="sm" fw={500}>
                      {e.activity!.subject}
                    </Text>
                  </Group>
                }
              >
                {e.activity!.body ? (
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {e.activity!.body}
                  </Text>
                ) : null}
                <Text size="xs" c="dimmed">
                  {name(e.activity!.actorId) || 'System'} · {fmt.dateTime(e.at)}
                </Text>
              </Timeline.Item>
            ),
          )}
        </Timeline>
      ) : null}
    </Card>
  );
}

function ChangeTitle({ c, ownerName }: { c: HistoryItem; ownerName: (id: string | null) => string }) {
  if (c.field === 'owner')
    return (
      <Text size="sm" fw={500}>
        Owner: {ownerName(c.from) || 'unassigned'} → {ownerName(c.to) || 'unassigned'}
      </Text>
    );
  const what = c.field === 'stage' ? 'Stage' : 'Status';
  return (
    <Text size="sm" fw={500}>
      {c.from ? `${what}: ${label(c.from)} → ${label(c.to)}` : `Created as ${label(c.to)}`}
    </Text>
  );
}

function AddActivity({ recordType, recordId }: { recordType: RecordType; recordId: string }) {
  const qc = useQueryClient();
  const [kind, setKind] = useState('note');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const add = useMutation({
    mutationFn: () => post<Activity>('/activities', { kind, subject: subject.trim(), body: body.trim() || null, recordType, recordId }),
    onSuccess: () => {
      setSubject('');
      setBody('');
      void qc.invalidateQueries({ queryKey: timelineKey(recordType, recordId) });
    },
  });
  const { fields, message } = errorsOf(add.error);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
      aria-label="Log an activity"
    >
      <Stack gap="xs">
        <SegmentedControl
          size="xs"
          value={kind}
          onChange={setKind}
          data={['note', 'call', 'email', 'meeting'].map((k) => ({ value: k, label: label(k) }))}
          w="fit-content"
        />
        <TextInput
          size="sm"
          placeholder={kind === 'note' ? 'Note summary' : `What the ${label(kind).toLowerCase()} was about`}
          aria-label="Activity summary"
          value={subject}
          onChange={(e) => setSubject(e.currentTarget.value)}
          error={fields.subject}
          maxLength={200}
        />
        <Textarea
          size="sm"
          placeholder="Details (optional)"
          aria-label="Activity details"
          autosize
          minRows={2}
          maxRows={8}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          error={fields.body}
        />
        {message && !Object.keys(fields).length ? <FormError error={message} /> : null}
        <Button type="submit" size="xs" w="fit-content" loading={add.isPending} disabled={!subject.trim()}>
          Add {label(kind).toLowerCase()}
        </Button>
      </Stack>
    </form>
  );
}
