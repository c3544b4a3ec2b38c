import { Button, Group, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { FormError } from '../../../components/ErrorState';
import { useFormat } from '../../../components/format';
import { errorsOf } from '../../../components/forms';
import { type RenewalRow, useRecordRenewal } from './health.api';

type Acting = { row: RenewalRow; outcome: 'renewed' | 'churned' } | null;

/** Confirms a renewal (new ARR, next date: blank keeps the ARR and adds a year) or a churn before recording it. */
export function RenewalModal({ acting, onClose }: { acting: Acting; onClose: () => void }) {
  return (
    <Modal
      opened={!!acting}
      onClose={onClose}
      title={acting ? `${acting.outcome === 'renewed' ? 'Renew' : 'Churn'} ${acting.row.accountName}` : ''}
    >
      {acting ? <RenewalForm key={`${acting.row.id}:${acting.outcome}`} acting={acting} onDone={onClose} /> : null}
    </Modal>
  );
}

function RenewalForm({ acting, onDone }: { acting: NonNullable<Acting>; onDone: () => void }) {
  const fmt = useFormat();
  const record = useRecordRenewal();
  const { row, outcome } = acting;
  const [arr, setArr] = useState(row.arr);
  const [date, setDate] = useState('');
  const [reason, setReason] = useState('');
  const { fields, message } = errorsOf(record.error);
  const submit = () =>
    record.mutate(
      {
        subscriptionId: row.id,
        input:
          outcome === 'renewed'
            ? { outcome, arr: arr.trim() || undefined, renewalDate: date || undefined }
            : { outcome, reason: reason.trim() || undefined },
      },
      {
        onSuccess: (r) => {
          notifications.show({
            color: outcome === 'renewed' ? 'green' : 'orange',
            title: outcome === 'renewed' ? 'Renewed' : 'Churned',
            message: `${row.accountName}: ${r.movements.map((m) => `${m.kind} ${fmt.exactMoney(m.amount)}`).join(', ')}`,
          });
          onDone();
        },
      },
    );

  return (
    <Stack>
      {outcome === 'renewed' ? (
        <>
          <Text size="sm">
            Current ARR {fmt.exactMoney(row.arr)}, renewal due {fmt.day(row.renewalDate)}. A different ARR is recorded as expansion or
            contraction.
          </Text>
          <TextInput label="New ARR" value={arr} onChange={(e) => setArr(e.currentTarget.value)} error={fields.arr} inputMode="decimal" />
          <TextInput
            label="Next renewal date"
            type="date"
            description="Blank: one year after the current renewal date"
            value={date}
            onChange={(e) => setDate(e.currentTarget.value)}
            error={fields.renewalDate}
          />
        </>
      ) : (
        <>
          <Text size="sm">
            {row.accountName} will be marked churned and its ARR of {fmt.exactMoney(row.arr)} recorded as churn. This cannot be undone here.
          </Text>
          <Textarea
            label="Reason"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            maxLength={500}
            error={fields.reason}
          />
        </>
      )}
      {message && !Object.keys(fields).length ? <FormError error={record.error} /> : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
        <Button color={outcome === 'renewed' ? undefined : 'red'} onClick={submit} loading={record.isPending}>
          {outcome === 'renewed' ? 'Confirm renewal' : 'Confirm churn'}
        </Button>
      </Group>
    </Stack>
  );
}
