import { Anchor, Button, Group, Modal, Stack, Text, Textarea, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { post } from '../../api/client';
import { useAccess } from '../../app/session';
import { DataTable, type TableColumn } from '../../components/DataTable';
import { FormError } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { errorsOf } from '../../components/forms';
import { PageHeader } from '../../components/PageHeader';
import { type HandoffRow, usePendingHandoffs } from './routing.api';
import { relativeTime } from './time';

const leadName = (h: HandoffRow) => h.company || [h.firstName, h.lastName].filter(Boolean).join(' ') || h.email || 'Lead';

/**
 * The AE's handoff inbox: qualified leads handed over by SDRs, nearest deadline first. Accept takes the
 * deal; Send back returns it to the SDR with a reason (required). Unanswered past the SLA, it escalates.
 */
export default function HandoffInboxPage() {
  const access = useAccess();
  const fmt = useFormat();
  const qc = useQueryClient();
  const q = usePendingHandoffs();
  const [sendingBack, setSendingBack] = useState<HandoffRow | null>(null);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['handoffs'] });
    void qc.invalidateQueries({ queryKey: ['opportunities'] });
    void qc.invalidateQueries({ queryKey: ['leads'] });
  };
  const accept = useMutation({
    mutationFn: (h: HandoffRow) => post(`/handoffs/${h.id}/accept`),
    onSuccess: (_r, h) => {
      refresh();
      notifications.show({ color: 'green', title: 'Accepted', message: `${leadName(h)} is yours: the lead is converted.` });
    },
    onError: (e) => notifications.show({ color: 'red', title: 'Not accepted', message: (e as Error).message }),
  });
  const now = Date.now();

  const columns: TableColumn<HandoffRow>[] = [
    {
      key: 'lead',
      header: 'Lead',
      render: (h) => (
        <div>
          <Text size="sm" fw={500}>
            {leadName(h)}
          </Text>
          <Text size="xs" c="dimmed">
            {[h.firstName, h.lastName].filter(Boolean).join(' ') || h.email}
            {h.segment ? ` · ${h.segment}` : ''}
            {h.score != null ? ` · score ${h.score}` : ''}
          </Text>
        </div>
      ),
    },
    {
      key: 'opportunity',
      header: 'Opportunity',
      render: (h) =>
        h.opportunityId ? (
          <Anchor component={Link} to={`/opportunities/${h.opportunityId}`} size="sm" onClick={(e) => e.stopPropagation()}>
            {h.opportunityName ?? 'Open'}
          </Anchor>
        ) : null,
    },
    { key: 'sdr', header: 'SDR', render: (h) => h.sdrName ?? '' },
    ...(access.readAll || access.isManager ? [{ key: 'ae', header: 'AE', render: (h: HandoffRow) => h.aeName ?? '' }] : []),
    { key: 'amount', header: 'Amount', width: 110, render: (h) => fmt.money(h.amount) },
    { key: 'handed', header: 'Handed', width: 120, render: (h) => relativeTime(h.handedAt, now) },
    {
      key: 'due',
      header: 'Answer due',
      width: 150,
      render: (h) => (
        <Tooltip label={fmt.dateTime(h.dueAt)}>
          <Text size="sm" c={h.overdue ? 'red' : undefined} fw={h.overdue ? 600 : undefined} data-overdue={h.overdue}>
            {h.overdue ? `overdue, ${relativeTime(h.dueAt, now)}` : relativeTime(h.dueAt, now)}
          </Text>
        </Tooltip>
      ),
    },
    {
      key: 'actions',
      header: '',
      width: 200,
      render: (h) => (
        <Group gap={6} wrap="nowrap">
          <Button size="xs" onClick={() => accept.mutate(h)} loading={accept.isPending && accept.variables?.id === h.id}>
            Accept
          </Button>
          <Button size="xs" variant="default" onClick={() => setSendingBack(h)}>
            Send back
          </Button>
        </Group>
      ),
    },
  ];

  return (
    <>
      <PageHeader title="Handoffs" subtitle="Qualified leads waiting for an AE to accept them, nearest deadline first" />
      <DataTable
        label="Pending handoffs"
        rows={q.data?.items ?? []}
        columns={columns}
        loading={q.isPending}
        error={q.error}
        emptyText="No handoffs waiting: nothing to accept"
      />
      <Modal opened={!!sendingBack} onClose={() => setSendingBack(null)} title="Send back to the SDR">
        {sendingBack ? (
          <SendBackForm
            handoff={sendingBack}
            onDone={() => {
              setSendingBack(null);
              refresh();
            }}
            onCancel={() => setSendingBack(null)}
          />
        ) : null}
      </Modal>
    </>
  );
}

function SendBackForm({ handoff, onDone, onCancel }: { handoff: HandoffRow; onDone: () => void; onCancel: () => void }) {
  const [reason, setReason] = useState('');
  const sendBack = useMutation({
    mutationFn: () => post(`/handoffs/${handoff.id}/send-back`, { reason }),
    onSuccess: () => {
      notifications.show({ color: 'orange', message: `${leadName(handoff)} went back to ${handoff.sdrName ?? 'the SDR'}` });
      onDone();
    },
  });
  const { fields, message } = errorsOf(sendBack.error);
  const [tried, setTried] = useState(false);
  const missing = tried && !reason.trim() ? 'Say why it goes back, so the SDR can fix it' : null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (reason.trim()) sendBack.mutate();
      }}
      noValidate
    >
      <Stack>
        <Text size="sm">
          {leadName(handoff)} goes back to {handoff.sdrName ?? 'the SDR'}; its opportunity is closed as lost with your reason.
        </Text>
        <Textarea
          label="Reason"
          required
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={missing ?? fields.reason}
          maxLength={500}
          autosize
          minRows={2}
          data-autofocus
        />
        <FormError error={Object.keys(fields).length ? null : message} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" color="orange" loading={sendBack.isPending}>
            Send back
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
