import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, put } from '../../api/client';
import type { Items } from '../../api/types';
import { useSession } from '../../app/session';
import { useTeams, useUsers } from '../../components/users';
import { RuleCard } from './RuleCard';
import { type Rule, type RuleStage, routingKeys } from './routing.api';
import { blankRule, draftsOf, errorsByRule, payloadOf, type RuleDraft } from './ruleDraft';

const INTRO: Record<RuleStage, string> = {
  intake:
    'New leads are checked against these rules in order; the first rule whose conditions all hold decides where the lead goes. Leads no rule takes go to the fallback queue.',
  handoff:
    'When an SDR hands off a qualified lead without naming an AE, these rules pick the AE in order; then the account owner, then round-robin among the segment’s AEs.',
};

/** The ordered rules of one stage (intake or handoff): edit, reorder, enable, and save them all at once. */
export function RulesEditor({ stage, rules }: { stage: RuleStage; rules: Rule[] }) {
  const me = useSession();
  const qc = useQueryClient();
  const { users } = useUsers();
  const teams = useTeams();
  const [drafts, setDrafts] = useState<RuleDraft[]>(() => draftsOf(rules));
  const [savedKeys, setSavedKeys] = useState<string[]>([]);
  // Reset to the stored rules when they change (after a save), not when a refetch returns the same ones.
  const stored = JSON.stringify(rules);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `stored` stands for `rules` by value
  useEffect(() => setDrafts(draftsOf(rules)), [stored]);
  const segments = me.workspace.segments.map((s) => s.code);

  const save = useMutation({
    // The keys in the order sent: the API names rules by position, and they may move before the answer is read.
    onMutate: (list: RuleDraft[]) => setSavedKeys(list.map((d) => d.key)),
    mutationFn: (list: RuleDraft[]) => put<Items<Rule>>('/routing/rules', { stage, rules: list.map(payloadOf) }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: routingKeys.config });
      notifications.show({ color: 'green', message: `${stage === 'intake' ? 'Intake' : 'Handoff'} rules saved` });
    },
  });
  const errors = useMemo(() => {
    if (!(save.error instanceof ApiError)) return { byKey: {}, general: save.error ? [(save.error as Error).message] : [] };
    const details = Array.isArray(save.error.details) ? save.error.details : [];
    const grouped = errorsByRule(details, savedKeys);
    return details.length ? grouped : { byKey: {}, general: [save.error.message] };
  }, [save.error, savedKeys]);

  const update = (i: number, rule: RuleDraft) => setDrafts((ds) => ds.map((d, j) => (j === i ? rule : d)));
  const move = (i: number, delta: -1 | 1) =>
    setDrafts((ds) => {
      const next = [...ds];
      const j = i + delta;
      if (j < 0 || j >= next.length) return ds;
      [next[i], next[j]] = [next[j], next[i]];
      return next;
    });
  const invalidCount = Object.keys(errors.byKey).length;

  return (
    <Stack data-testid={`${stage}-rules`}>
      <Text size="sm" c="dimmed">
        {INTRO[stage]}
      </Text>
      {drafts.length === 0 ? (
        <Text size="sm" c="dimmed" fs="italic">
          No rules yet.
        </Text>
      ) : null}
      {drafts.map((d, i) => (
        <RuleCard
          key={d.key}
          rule={d}
          index={i}
          count={drafts.length}
          segments={segments}
          users={users}
          teams={teams.data?.items ?? []}
          errors={errors.byKey[d.key]}
          onChange={(r) => update(i, r)}
          onMove={(delta) => move(i, delta)}
          onRemove={() => setDrafts((ds) => ds.filter((_, j) => j !== i))}
        />
      ))}
      {errors.general.length || invalidCount ? (
        <Alert color="red" variant="light" role="alert" title="Not saved">
          {invalidCount ? (
            <Text size="sm">
              {invalidCount === 1 ? 'One rule needs' : `${invalidCount} rules need`} a fix: see the rules marked in red.
            </Text>
          ) : null}
          {errors.general.map((g) => (
            <Text size="sm" key={g}>
              {g}
            </Text>
          ))}
        </Alert>
      ) : null}
      <Group>
        <Button variant="default" onClick={() => setDrafts((ds) => [...ds, blankRule(ds.length + 1)])}>
          Add rule
        </Button>
        <Button onClick={() => save.mutate(drafts)} loading={save.isPending}>
          Save {stage} rules
        </Button>
        <Button
          variant="subtle"
          onClick={() => {
            setDrafts(draftsOf(rules));
            save.reset();
          }}
        >
          Discard changes
        </Button>
      </Group>
    </Stack>
  );
}
