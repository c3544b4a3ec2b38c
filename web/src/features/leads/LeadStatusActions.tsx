import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { post } from '../../api/client';
import { LEAD_STATUSES, type LeadStatus, label, leadTransition } from '../../api/domain';
import type { Lead } from '../../api/types';
import { FormError } from '../../components/ErrorState';
import { timelineKey } from '../timeline/RecordTimeline';

const VERBS: Partial<Record<LeadStatus, string>> = {
  new: 'Back to new',
  working: 'Start working',
  qualified: 'Mark qualified',
  handed_off: 'Hand off',
  disqualified: 'Disqualify',
};

/** The moves the lifecycle allows from the current status (the same rule the server applies). */
export function LeadStatusActions({ lead, disabled }: { lead: Lead; disabled: boolean }) {
  const qc = useQueryClient();
  const [disqualifying, setDisqualifying] = useState(false);
  const [reason, setReason] = useState('');
  const change = useMutation({
    mutationFn: (body: { status: LeadStatus; reason?: string }) => post<Lead>(`/leads/${lead.id}/status`, body),
    onSuccess: (updated) => {
      qc.setQueryData(['leads', 'one', lead.id], updated);
      void qc.invalidateQueries({ queryKey: ['leads', 'list'] });
      void qc.invalidateQueries({ queryKey: timelineKey('lead', lead.id) });
      setDisqualifying(false);
      setReason('');
      notifications.show({ color: 'green', message: `Lead is now ${label(updated.status).toLowerCase()}` });
    },
    onError: (e) => {
      if (!disqualifying) notifications.show({ color: 'red', title: 'Status not changed', message: (e as Error).message });
    },
  });
  const next = LEAD_STATUSES.filter((s) => s !== 'converted' && leadTransition(lead.status, s, 'reason').ok);
  if (!next.length) return null;
  return (
    <>
      <Group gap="xs">
        {next.map((s) => (
          <Button
            key={s}
            size="xs"
            variant={s === 'disqualified' ? 'light' : s === 'qualified' ? 'filled' : 'default'}
            color={s === 'disqualified' ? 'red' : undefined}
            disabled={disabled}
            loading={change.isPending && change.variables?.status === s}
            onClick={() => (s === 'disqualified' ? setDisqualifying(true) : change.mutate({ status: s }))}
          >
            {VERBS[s] ?? label(s)}
          </Button>
        ))}
      </Group>
      <Modal opened={disqualifying} onClose={() => setDisqualifying(false)} title="Disqualify lead">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            change.mutate({ status: 'disqualified', reason: reason.trim() });
          }}
        >
          <Stack>
            <Text size="sm">Why does this lead not meet the criteria? The reason stays in the lead's history.</Text>
            <Textarea
              label="Reason"
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              maxLength={500}
              autosize
              minRows={2}
              data-autofocus
            />
            <FormError error={disqualifying ? change.error : null} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDisqualifying(false)}>
                Cancel
              </Button>
              <Button type="submit" color="red" disabled={!reason.trim()} loading={change.isPending}>
                Disqualify
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
