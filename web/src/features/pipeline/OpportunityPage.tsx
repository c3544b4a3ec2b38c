import { Alert, Anchor, Button, Card, Grid, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { patch, post } from '../../api/client';
import { label, SEGMENTS } from '../../api/domain';
import type { Opportunity } from '../../api/types';
import { useAccess, useSession } from '../../app/session';
import { StatusBadge } from '../../components/badges';
import { DetailsForm } from '../../components/DetailsForm';
import { QueryState } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { changedFields, errorsOf, textOrNull } from '../../components/forms';
import { PageHeader } from '../../components/PageHeader';
import { closerOptions, useUsers } from '../../components/users';
import { RecordTimeline, timelineKey } from '../timeline/RecordTimeline';
import { LostReasonModal } from './LostReasonModal';
import { useOpportunity } from './pipeline.api';

export default function OpportunityPage() {
  const { id = '' } = useParams();
  const q = useOpportunity(id);
  return (
    <QueryState query={q} what="this opportunity">
      {(opp) => <OpportunityView key={opp.id} opp={opp} />}
    </QueryState>
  );
}

type Draft = { name: string; amount: string; closeDate: string; ownerId: string; segment: string };
const draftOf = (o: Opportunity): Draft => ({
  name: o.name,
  amount: o.amount,
  closeDate: o.closeDate ?? '',
  ownerId: o.ownerId ?? '',
  segment: o.segment ?? '',
});
const payloadOf = (d: Draft) => ({
  name: d.name.trim(),
  amount: d.amount.trim(),
  closeDate: textOrNull(d.closeDate),
  ownerId: textOrNull(d.ownerId),
  segment: textOrNull(d.segment),
});

function OpportunityView({ opp }: { opp: Opportunity }) {
  const me = useSession();
  const access = useAccess();
  const fmt = useFormat();
  const { users, name } = useUsers();
  const qc = useQueryClient();
  const [draft, setDraft] = useState(() => draftOf(opp));
  const [askLost, setAskLost] = useState(false);
  useEffect(() => setDraft(draftOf(opp)), [opp]);
  const canEdit = access.canWrite(opp.ownerId);

  const refresh = (updated: Opportunity) => {
    qc.setQueryData(['opportunities', 'one', opp.id], updated);
    void qc.invalidateQueries({ queryKey: ['opportunities', 'board'] });
    void qc.invalidateQueries({ queryKey: ['opportunities', 'summary'] });
    void qc.invalidateQueries({ queryKey: timelineKey('opportunity', opp.id) });
  };
  const changes = changedFields(payloadOf(draftOf(opp)), payloadOf(draft));
  const save = useMutation({
    mutationFn: () => patch<Opportunity>(`/opportunities/${opp.id}`, changes),
    onSuccess: (u) => {
      refresh(u);
      notifications.show({ color: 'green', message: 'Opportunity saved' });
    },
  });
  const stage = useMutation({
    mutationFn: (b: { stage: string; lostReason?: string }) => post<Opportunity>(`/opportunities/${opp.id}/stage`, b),
    onSuccess: (u) => {
      refresh(u);
      notifications.show({ color: 'green', message: `Moved to ${label(u.stage).toLowerCase()}` });
    },
    onError: (e) => notifications.show({ color: 'red', title: 'Stage not changed', message: (e as Error).message }),
  });
  const { fields, message } = errorsOf(save.error);
  const owners = closerOptions(users);
  if (opp.ownerId && !owners.some((o) => o.value === opp.ownerId)) owners.unshift({ value: opp.ownerId, label: name(opp.ownerId) });

  return (
    <>
      <PageHeader
        title={
          <Group gap="sm" component="span">
            <span data-testid="opportunity-title">{opp.name}</span>
            <StatusBadge value={opp.stage} />
          </Group>
        }
        subtitle={`${fmt.exactMoney(opp.amount)} ARR · owner ${name(opp.ownerId) || 'unassigned'}${opp.sdrId ? ` · sourced by ${name(opp.sdrId)}` : ''}${opp.sourceType ? ` · ${label(opp.sourceType)}` : ''}`}
      />
      {opp.stage === 'lost' && opp.lostReason ? (
        <Alert color="red" variant="light" mb="md" title="Lost">
          <Text size="sm">{opp.lostReason}</Text>
        </Alert>
      ) : null}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack>
            <Card withBorder>
              <Title order={5} mb="xs">
                Stage
              </Title>
              <Group gap={6}>
                {me.workspace.opportunityStages.map((s) => (
                  <Button
                    key={s}
                    size="xs"
                    variant={s === opp.stage ? 'filled' : 'default'}
                    color={s === 'won' ? 'green' : s === 'lost' ? 'red' : undefined}
                    disabled={!canEdit || s === opp.stage}
                    loading={stage.isPending && stage.variables?.stage === s}
                    onClick={() => (s === 'lost' ? setAskLost(true) : stage.mutate({ stage: s }))}
                  >
                    {label(s)}
                  </Button>
                ))}
              </Group>
            </Card>
            <DetailsForm
              onSave={() => save.mutate()}
              canEdit={canEdit}
              dirty={Object.keys(changes).length > 0}
              saving={save.isPending}
              fieldErrors={fields}
              message={message}
              readOnlyNote="Only the owning AE or their manager can change this deal."
            >
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput
                  label="Name"
                  value={draft.name}
                  onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
                  error={fields.name}
                  disabled={!canEdit}
                  maxLength={200}
                />
                <TextInput
                  label={`Amount (ARR, ${me.workspace.currency})`}
                  value={draft.amount}
                  onChange={(e) => setDraft({ ...draft, amount: e.currentTarget.value })}
                  error={fields.amount}
                  disabled={!canEdit}
                  inputMode="decimal"
                />
                <TextInput
                  label="Close date"
                  type="date"
                  value={draft.closeDate}
                  onChange={(e) => setDraft({ ...draft, closeDate: e.currentTarget.value })}
                  error={fields.closeDate}
                  disabled={!canEdit}
                />
                <Select
                  label="Owner"
                  data={owners}
                  value={draft.ownerId || null}
                  onChange={(v) => setDraft({ ...draft, ownerId: v ?? '' })}
                  error={fields.ownerId}
                  disabled={!canEdit}
                  searchable
                />
                <Select
                  label="Segment"
                  data={[...SEGMENTS]}
                  value={draft.segment || null}
                  onChange={(v) => setDraft({ ...draft, segment: v ?? '' })}
                  error={fields.segment}
                  disabled={!canEdit}
                  clearable
                />
                <Stack gap={4}>
                  <Text size="sm" fw={500}>
                    Links
                  </Text>
                  {opp.accountId ? (
                    <Anchor component={Link} to={`/accounts/${opp.accountId}`} size="sm">
                      Account
                    </Anchor>
                  ) : null}
                  {opp.leadId ? (
                    <Anchor component={Link} to={`/leads/${opp.leadId}`} size="sm">
                      Original lead
                    </Anchor>
                  ) : null}
                </Stack>
              </SimpleGrid>
            </DetailsForm>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <RecordTimeline recordType="opportunity" recordId={opp.id} />
        </Grid.Col>
      </Grid>
      <LostReasonModal
        dealName={askLost ? opp.name : null}
        onCancel={() => setAskLost(false)}
        onConfirm={(reason) => {
          setAskLost(false);
          stage.mutate({ stage: 'lost', lostReason: reason });
        }}
      />
    </>
  );
}
