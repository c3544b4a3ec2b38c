import { Alert, Button, Group, NumberInput, SegmentedControl, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { put } from '../../api/client';
import { useSession } from '../../app/session';
import { QueryState } from '../../components/ErrorState';
import { errorsOf } from '../../components/forms';
import { CriterionCard, errorAt } from './CriterionCard';
import { type Criterion, maxScoreOf, routingKeys, type Scorecard, useScorecard } from './routing.api';

/** Admin > Scorecards: one qualification scorecard per segment. */
export function ScorecardsTab() {
  const me = useSession();
  const codes = me.workspace.segments.map((s) => s.code);
  const [segment, setSegment] = useState<string>(codes[0] ?? 'SMB');
  const card = useScorecard(segment);
  return (
    <Stack>
      <Group>
        <Text size="sm">Segment</Text>
        <SegmentedControl data={codes} value={segment} onChange={setSegment} aria-label="Segment" />
      </Group>
      <QueryState query={card} what="the scorecard">
        {(c) => <ScorecardEditor key={c.segment} card={c} />}
      </QueryState>
    </Stack>
  );
}

function ScorecardEditor({ card }: { card: Scorecard }) {
  const qc = useQueryClient();
  const [threshold, setThreshold] = useState<number>(card.threshold);
  const [criteria, setCriteria] = useState<Criterion[]>(card.criteria);
  useEffect(() => {
    setThreshold(card.threshold);
    setCriteria(card.criteria);
  }, [card]);
  const save = useMutation({
    mutationFn: () => put<Scorecard>(`/scorecards/${card.segment}`, { threshold, criteria }),
    onSuccess: (saved) => {
      qc.setQueryData(routingKeys.scorecard(card.segment), saved);
      notifications.show({ color: 'green', message: `${card.segment} scorecard saved` });
    },
  });
  const { fields, message } = errorsOf(save.error);
  // `criteria.2.options.1.points` -> criterion 2's `options.1.points`.
  const perCriterion = useMemo(() => {
    const out: Record<number, Record<string, string>> = {};
    for (const [path, m] of Object.entries(fields)) {
      const hit = /^criteria\.(\d+)\.(.+)$/.exec(path);
      if (!hit) continue;
      out[Number(hit[1])] ??= {};
      out[Number(hit[1])][hit[2]] = m;
    }
    return out;
  }, [fields]);
  const general = Object.entries(fields).filter(([k]) => !/^criteria\.\d+\./.test(k) && k !== 'threshold');
  const max = maxScoreOf({ segment: card.segment, threshold, criteria });
  const move = (i: number, delta: -1 | 1) => {
    const j = i + delta;
    if (j < 0 || j >= criteria.length) return;
    const next = [...criteria];
    [next[i], next[j]] = [next[j], next[i]];
    setCriteria(next);
  };

  return (
    <Stack maw={960}>
      {card.updatedAt ? null : (
        <Alert color="gray" variant="light">
          {card.segment} uses the standard scorecard until you save one.
        </Alert>
      )}
      <Group align="flex-end">
        <NumberInput
          label="Threshold"
          description={`Qualified at or above this score (maximum ${max}), with every required criterion answered with points`}
          value={threshold}
          onChange={(v) => setThreshold(v === '' ? 0 : Number(v))}
          error={errorAt(fields, 'threshold')}
          min={0}
          allowDecimal={false}
          w={420}
        />
      </Group>
      {criteria.map((c, i) => (
        <CriterionCard
          // biome-ignore lint/suspicious/noArrayIndexKey: criteria are edited in place; their key field may change while typing
          key={i}
          criterion={c}
          index={i}
          count={criteria.length}
          errors={perCriterion[i] ?? {}}
          onChange={(next) => setCriteria(criteria.map((x, j) => (j === i ? next : x)))}
          onMove={(d) => move(i, d)}
          onRemove={() => setCriteria(criteria.filter((_, j) => j !== i))}
        />
      ))}
      {save.error ? (
        <Alert color="red" variant="light" role="alert" title="Not saved">
          {general.length ? general.map(([k, m]) => <Text key={k} size="sm">{`${k}: ${m}`}</Text>) : <Text size="sm">{message}</Text>}
        </Alert>
      ) : null}
      <Group>
        <Button
          variant="default"
          onClick={() =>
            setCriteria([
              ...criteria,
              {
                key: `criterion_${criteria.length + 1}`,
                label: 'New criterion',
                question: 'What do we need to know?',
                required: false,
                options: [
                  { value: 'yes', label: 'Yes', points: 2 },
                  { value: 'no', label: 'No', points: 0 },
                ],
              },
            ])
          }
        >
          Add criterion
        </Button>
        <Button onClick={() => save.mutate()} loading={save.isPending}>
          Save {card.segment} scorecard
        </Button>
        <Button
          variant="subtle"
          onClick={() => {
            setThreshold(card.threshold);
            setCriteria(card.criteria);
            save.reset();
          }}
        >
          Discard changes
        </Button>
      </Group>
    </Stack>
  );
}
