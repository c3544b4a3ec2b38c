import { Alert, Anchor, Button, Card, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { patch, post } from '../../api/client';
import { label } from '../../api/domain';
import type { Lead } from '../../api/types';
import { useAccess, useSession } from '../../app/session';
import { StatusBadge } from '../../components/badges';
import { DetailsForm } from '../../components/DetailsForm';
import { QueryState } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { changedFields, errorsOf } from '../../components/forms';
import { PageHeader } from '../../components/PageHeader';
import { assignableOwners, useUsers } from '../../components/users';
import { HandoffCard } from '../routing/HandoffCard';
import { QualificationCard } from '../routing/QualificationCard';
import { RecordTimeline, timelineKey } from '../timeline/RecordTimeline';
import { ConvertModal } from './ConvertModal';
import { draftOf, type LeadDraft, LeadFields, leadPayload } from './LeadFields';
import { LeadStatusActions } from './LeadStatusActions';
import { useLead } from './leads.api';

export default function LeadPage() {
  const { id = '' } = useParams();
  const q = useLead(id);
  return (
    <QueryState query={q} what="this lead">
      {(lead) => <LeadView key={lead.id} lead={lead} />}
    </QueryState>
  );
}

function LeadView({ lead }: { lead: Lead }) {
  const me = useSession();
  const access = useAccess();
  const fmt = useFormat();
  const navigate = useNavigate();
  const { users, name } = useUsers();
  const qc = useQueryClient();
  const [draft, setDraft] = useState<LeadDraft>(() => draftOf(lead));
  const [converting, setConverting] = useState(false);
  useEffect(() => setDraft(draftOf(lead)), [lead]);

  const canEdit = access.canWrite(lead.ownerId) && lead.status !== 'converted';
  const changes = changedFields(leadPayload(draftOf(lead)), leadPayload(draft));
  const dirty = Object.keys(changes).length > 0;
  const save = useMutation({
    mutationFn: () => patch<Lead>(`/leads/${lead.id}`, changes),
    onSuccess: (updated) => {
      qc.setQueryData(['leads', 'one', lead.id], updated);
      void qc.invalidateQueries({ queryKey: ['leads', 'list'] });
      void qc.invalidateQueries({ queryKey: timelineKey('lead', lead.id) });
      notifications.show({ color: 'green', message: 'Lead saved' });
    },
  });
  // Unassigned leads waiting in a queue can be taken by any rep.
  const claim = useMutation({
    mutationFn: () => post<Lead>(`/leads/${lead.id}/claim`),
    onSuccess: (claimed) => {
      qc.setQueryData(['leads', 'one', lead.id], claimed);
      void qc.invalidateQueries({ queryKey: ['leads'] });
      notifications.show({ color: 'green', message: 'The lead is yours' });
    },
    onError: (err) => notifications.show({ color: 'red', message: errorsOf(err).message ?? 'Could not claim the lead' }),
  });
  const { fields, message } = errorsOf(save.error);
  const who = [lead.firstName, lead.lastName].filter(Boolean).join(' ');
  const canConvert = canEdit && lead.status !== 'disqualified';

  return (
    <>
      <PageHeader
        title={
          <Group gap="sm" component="span">
            <span data-testid="lead-title">{lead.company || who || lead.email || 'Lead'}</span>
            <StatusBadge value={lead.status} />
          </Group>
        }
        subtitle={`${label(lead.sourceType)} · ${label(lead.channel)}${lead.segment ? ` · ${lead.segment}` : ''} · owner ${name(lead.ownerId) || 'unassigned'} · created ${fmt.date(lead.createdAt)}`}
        actions={
          <Group gap="xs">
            {!lead.ownerId ? (
              <Button variant="light" onClick={() => claim.mutate()} loading={claim.isPending}>
                Claim
              </Button>
            ) : null}
            <Button onClick={() => setConverting(true)} disabled={!canConvert}>
              Convert
            </Button>
          </Group>
        }
      />
      {lead.ownerId && !access.canWrite(lead.ownerId) ? (
        <Alert color="gray" mb="md">
          You can read this lead; only its owner or their manager can change it.
        </Alert>
      ) : null}
      {lead.status === 'converted' && lead.opportunityId ? (
        <Alert color="green" mb="md" title="Converted">
          This lead became an opportunity:{' '}
          <Anchor component={Link} to={`/opportunities/${lead.opportunityId}`}>
            open it
          </Anchor>
          {lead.accountId ? (
            <>
              {' '}
              ·{' '}
              <Anchor component={Link} to={`/accounts/${lead.accountId}`}>
                account
              </Anchor>
            </>
          ) : null}
        </Alert>
      ) : null}
      {lead.status === 'disqualified' && lead.disqualifyReason ? (
        <Alert color="gray" mb="md" title="Disqualified">
          <Text size="sm">{lead.disqualifyReason}</Text>
        </Alert>
      ) : null}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack>
            <Card withBorder>
              <Title order={5} mb="xs">
                Status
              </Title>
              <LeadStatusActions lead={lead} disabled={!canEdit} />
              {lead.status === 'converted' ? (
                <Text size="sm" c="dimmed">
                  Converted leads are closed.
                </Text>
              ) : null}
            </Card>
            <QualificationCard lead={lead} canEdit={canEdit} />
            <HandoffCard lead={lead} canEdit={canEdit} />
            <DetailsForm
              onSave={() => save.mutate()}
              canEdit={canEdit}
              dirty={dirty}
              saving={save.isPending}
              fieldErrors={fields}
              message={message}
              onDiscard={() => setDraft(draftOf(lead))}
            >
              <LeadFields
                draft={draft}
                onChange={(p) => setDraft((d) => ({ ...d, ...p }))}
                errors={fields}
                disabled={!canEdit}
                ownerOptions={assignableOwners(users, me, access.writeAll)}
                currency={me.workspace.currency}
              />
            </DetailsForm>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <RecordTimeline recordType="lead" recordId={lead.id} />
        </Grid.Col>
      </Grid>
      <ConvertModal
        lead={lead}
        opened={converting}
        onClose={() => setConverting(false)}
        onConverted={(oppId) => navigate(`/opportunities/${oppId}`)}
      />
    </>
  );
}
