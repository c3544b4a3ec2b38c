import { Anchor, Button, Card, Group, Modal, Select, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { get, post } from '../../api/client';
import type { Items, Lead, Opportunity } from '../../api/types';
import { StatusBadge } from '../../components/badges';
import { FormError } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { errorsOf } from '../../components/forms';
import { closerOptions, useUsers } from '../../components/users';
import { timelineKey } from '../timeline/RecordTimeline';
import { type HandoffRow, routingKeys } from './routing.api';
import { relativeTime } from './time';

type HandoffResult = { handoff: { id: string; aeId: string }; opportunity: Opportunity; how: string };

/**
 * The SDR-to-AE handoff on the lead page: "Hand off to AE" for a qualified lead (an AE picked here,
 * or the routing decides), and every handoff of this lead with its AE, deadline and outcome.
 */
export function HandoffCard({ lead, canEdit }: { lead: Lead; canEdit: boolean }) {
  const fmt = useFormat();
  const [asking, setAsking] = useState(false);
  // The API lists handoffs by caller scope, not by lead: this lead's are picked out of the caller's recent ones.
  const handoffs = useQuery({
    queryKey: routingKeys.leadHandoffs(lead.id),
    queryFn: async () => {
      const all = await get<Items<HandoffRow>>('/handoffs', { status: 'pending,accepted,sent_back,escalated', limit: 500 });
      return all.items.filter((h) => h.leadId === lead.id).sort((a, b) => (a.handedAt < b.handedAt ? 1 : -1));
    },
  });
  const rows = handoffs.data ?? [];
  if (lead.status !== 'qualified' && rows.length === 0) return null;

  return (
    <Card withBorder component="section" aria-label="Handoff">
      <Group justify="space-between" mb="xs">
        <Title order={5}>Handoff to an AE</Title>
        {lead.status === 'qualified' && canEdit ? <Button onClick={() => setAsking(true)}>Hand off to AE</Button> : null}
      </Group>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          Qualified and ready: hand it to an AE, who accepts it within the handoff SLA.
        </Text>
      ) : (
        <Table verticalSpacing={4} aria-label="Handoffs of this lead">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>AE</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Handed</Table.Th>
              <Table.Th>Answer due</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((h) => (
              <Table.Tr key={h.id} data-testid="handoff-row">
                <Table.Td>{h.aeName}</Table.Td>
                <Table.Td>
                  <StatusBadge value={h.status} />
                  {h.sentBackReason ? (
                    <Text size="xs" c="dimmed">
                      {h.sentBackReason}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>{fmt.dateTime(h.handedAt)}</Table.Td>
                <Table.Td>
                  {h.status === 'pending' ? (
                    <Text size="sm" c={h.overdue ? 'red' : undefined}>
                      {h.overdue ? 'overdue, ' : ''}
                      {relativeTime(h.dueAt)}
                    </Text>
                  ) : h.acceptedAt ? (
                    `accepted ${fmt.dateTime(h.acceptedAt)}`
                  ) : (
                    ''
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {lead.opportunityId ? (
        <Text size="sm" mt="xs">
          <Anchor component={Link} to={`/opportunities/${lead.opportunityId}`}>
            Open the opportunity
          </Anchor>
        </Text>
      ) : null}
      <Modal opened={asking} onClose={() => setAsking(false)} title="Hand off to an AE">
        {asking ? <HandoffForm lead={lead} onClose={() => setAsking(false)} /> : null}
      </Modal>
    </Card>
  );
}

function HandoffForm({ lead, onClose }: { lead: Lead; onClose: () => void }) {
  const qc = useQueryClient();
  const { users, name } = useUsers();
  const [aeId, setAeId] = useState<string | null>(null);
  const handOff = useMutation({
    mutationFn: () => post<HandoffResult>(`/leads/${lead.id}/handoff`, aeId ? { aeId } : {}),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['leads'] });
      void qc.invalidateQueries({ queryKey: ['handoffs'] });
      void qc.invalidateQueries({ queryKey: ['routing', 'queue'] });
      void qc.invalidateQueries({ queryKey: timelineKey('lead', lead.id) });
      notifications.show({ color: 'green', title: 'Handed off', message: `${name(r.handoff.aeId)} has the deal (${r.how})` });
      onClose();
    },
  });
  const { fields, message } = errorsOf(handOff.error);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        handOff.mutate();
      }}
    >
      <Stack>
        <Text size="sm" c="dimmed">
          Creates the account, contact and opportunity with you as its source. Leave the AE empty to let the handoff rules choose (then the
          account's owner, then round-robin among the segment's AEs).
        </Text>
        <Select
          label="Account executive"
          placeholder="Automatic"
          data={closerOptions(users)}
          value={aeId}
          onChange={setAeId}
          error={fields.aeId}
          searchable
          clearable
        />
        <FormError error={Object.keys(fields).length ? null : message} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={handOff.isPending}>
            Hand off
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
