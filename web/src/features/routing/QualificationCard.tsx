import { Accordion, Alert, Badge, Button, Card, Group, List, Progress, Radio, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { get, post } from '../../api/client';
import type { Items, Lead } from '../../api/types';
import { FormError } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { timelineKey } from '../timeline/RecordTimeline';
import { type Qualification, routingKeys, type ScoreOutcome, scoreLead, useScorecard } from './routing.api';

const OPEN = ['new', 'working', 'qualified'];

/**
 * The segment's scorecard on the lead page: each criterion's question with its scored answers, the
 * score against the threshold as the SDR answers, the verdict with its reasons on save, and every
 * earlier fill-in.
 */
export function QualificationCard({ lead, canEdit }: { lead: Lead; canEdit: boolean }) {
  const qc = useQueryClient();
  const fmt = useFormat();
  const card = useScorecard(lead.segment);
  const history = useQuery({
    queryKey: routingKeys.qualification(lead.id),
    queryFn: () => get<Items<Qualification>>(`/leads/${lead.id}/qualification`),
  });
  const latest = history.data?.items[0];
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [result, setResult] = useState<ScoreOutcome | null>(null);
  // Start from the last fill-in, so requalifying changes only what changed.
  useEffect(() => {
    if (latest) setAnswers(latest.answers);
  }, [latest]);

  const live = useMemo(() => (card.data ? scoreLead(card.data, answers) : null), [card.data, answers]);
  const save = useMutation({
    mutationFn: () => post<ScoreOutcome>(`/leads/${lead.id}/qualification`, { answers }),
    onSuccess: (r) => {
      setResult(r);
      void qc.invalidateQueries({ queryKey: ['leads', 'one', lead.id] });
      void qc.invalidateQueries({ queryKey: routingKeys.qualification(lead.id) });
      void qc.invalidateQueries({ queryKey: timelineKey('lead', lead.id) });
      void qc.invalidateQueries({ queryKey: ['routing', 'queue'] });
      notifications.show({
        color: r.qualified ? 'green' : 'orange',
        message: r.qualified ? 'Lead qualified' : 'Scorecard saved: not qualified yet',
      });
    },
  });
  const editable = canEdit && OPEN.includes(lead.status);

  return (
    <Card withBorder component="section" aria-label="Qualification">
      <Group justify="space-between" mb="xs">
        <Title order={5}>Qualification{lead.segment ? ` · ${lead.segment} scorecard` : ''}</Title>
        {lead.qualified != null ? (
          <Badge color={lead.qualified ? 'teal' : 'gray'} variant="light">
            {lead.qualified ? 'Qualified' : 'Not qualified'} · {lead.score}
          </Badge>
        ) : null}
      </Group>
      {!lead.segment ? (
        <Text size="sm" c="dimmed">
          The scorecard depends on the lead's segment: enter its employees or expected ARR first.
        </Text>
      ) : card.error ? (
        <FormError error={card.error} />
      ) : !card.data || !live ? (
        <Text size="sm" c="dimmed">
          Loading the scorecard…
        </Text>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <Stack gap="sm">
            {card.data.criteria.map((c) => (
              <Radio.Group
                key={c.key}
                name={`criterion-${c.key}`}
                label={c.label}
                description={c.question}
                withAsterisk={c.required}
                value={answers[c.key] ?? null}
                onChange={(v) => setAnswers((a) => ({ ...a, [c.key]: v }))}
              >
                <Group gap="md" mt={4}>
                  {c.options.map((o) => (
                    <Radio key={o.value} value={o.value} label={`${o.label} (+${o.points})`} disabled={!editable} />
                  ))}
                </Group>
              </Radio.Group>
            ))}
            <div data-testid="live-score">
              <Group justify="space-between" mb={4}>
                <Text size="sm">
                  Score <b>{live.score}</b> of {live.maxScore} · threshold {live.threshold}
                </Text>
                <Text size="sm" c={live.qualified ? 'teal' : 'dimmed'}>
                  {live.qualified ? 'Meets the bar' : 'Below the bar'}
                </Text>
              </Group>
              <Progress
                value={live.maxScore ? (100 * live.score) / live.maxScore : 0}
                color={live.qualified ? 'teal' : 'gray'}
                aria-label="Score"
              />
            </div>
            {result ? <Verdict result={result} /> : null}
            <FormError error={save.error} />
            {editable ? (
              <Group justify="flex-end">
                <Button type="submit" loading={save.isPending} disabled={Object.keys(answers).length === 0}>
                  Save scorecard
                </Button>
              </Group>
            ) : null}
          </Stack>
        </form>
      )}
      {history.data?.items.length ? (
        <Accordion mt="sm" variant="contained" chevronPosition="left">
          <Accordion.Item value="history">
            <Accordion.Control>Fill-in history ({history.data.items.length})</Accordion.Control>
            <Accordion.Panel>
              <Stack gap="xs" data-testid="qualification-history">
                {history.data.items.map((h) => (
                  <div key={h.id}>
                    <Text size="sm">
                      <Badge size="xs" color={h.qualified ? 'teal' : 'gray'} mr={6}>
                        {h.qualified ? 'qualified' : 'not qualified'}
                      </Badge>
                      {h.score}/{h.maxScore} (threshold {h.threshold}) · {h.actorName ?? 'system'} · {fmt.dateTime(h.createdAt)}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {h.reasons.join(' · ')}
                    </Text>
                  </div>
                ))}
              </Stack>
            </Accordion.Panel>
          </Accordion.Item>
        </Accordion>
      ) : null}
    </Card>
  );
}

function Verdict({ result }: { result: ScoreOutcome }) {
  return (
    <Alert
      color={result.qualified ? 'green' : 'orange'}
      title={result.qualified ? 'Qualified' : 'Not qualified'}
      data-testid="qualification-result"
    >
      <List size="sm" spacing={2}>
        {result.reasons.map((r) => (
          <List.Item key={r}>{r}</List.Item>
        ))}
      </List>
    </Alert>
  );
}
