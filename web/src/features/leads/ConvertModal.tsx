import { Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { post } from '../../api/client';
import type { Lead, Opportunity } from '../../api/types';
import { useSession } from '../../app/session';
import { FormError } from '../../components/ErrorState';
import { todayIn } from '../../components/format';
import { errorsOf, textOrNull } from '../../components/forms';
import { closerOptions, useUsers } from '../../components/users';

type ConvertResult = { opportunity: Opportunity; accountId: string; contactId: string; reusedAccount: boolean };

/** Lead -> account + contact + opportunity in one step, handed to the AE chosen here. */
export function ConvertModal({
  lead,
  opened,
  onClose,
  onConverted,
}: {
  lead: Lead;
  opened: boolean;
  onClose: () => void;
  onConverted: (oppId: string) => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Convert lead">
      {/* Mounted per opening, so the defaults come from the lead as it is now. */}
      {opened ? <ConvertForm lead={lead} onClose={onClose} onConverted={onConverted} /> : null}
    </Modal>
  );
}

function ConvertForm({ lead, onClose, onConverted }: { lead: Lead; onClose: () => void; onConverted: (oppId: string) => void }) {
  const me = useSession();
  const { users } = useUsers();
  const qc = useQueryClient();
  const aes = closerOptions(users);
  const [name, setName] = useState(lead.company || [lead.firstName, lead.lastName].filter(Boolean).join(' ') || 'New business');
  const [amount, setAmount] = useState(lead.expectedArr ?? '');
  const [closeDate, setCloseDate] = useState(todayIn(me.workspace.timezone, 30));
  const [ownerId, setOwnerId] = useState<string | null>(aes.some((o) => o.value === lead.ownerId) ? lead.ownerId : null);

  const convert = useMutation({
    mutationFn: () =>
      post<ConvertResult>(`/leads/${lead.id}/convert`, {
        opportunityName: name.trim() || undefined,
        amount: textOrNull(amount) ?? undefined,
        closeDate: closeDate || undefined,
        ownerId: ownerId ?? undefined,
      }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['leads'] });
      void qc.invalidateQueries({ queryKey: ['opportunities'] });
      onConverted(r.opportunity.id);
    },
  });
  const { fields, message } = errorsOf(convert.error);

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        convert.mutate();
      }}
      noValidate
    >
      <Stack>
        <Text size="sm" c="dimmed">
          Creates the account (or reuses the one with the same domain), the contact and an opportunity in the first stage.
        </Text>
        <TextInput
          label="Opportunity name"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={fields.opportunityName}
          maxLength={200}
        />
        <TextInput
          label={`Amount (ARR, ${me.workspace.currency})`}
          value={amount}
          onChange={(e) => setAmount(e.currentTarget.value)}
          error={fields.amount}
          inputMode="decimal"
        />
        <TextInput
          label="Close date"
          type="date"
          value={closeDate}
          onChange={(e) => setCloseDate(e.currentTarget.value)}
          error={fields.closeDate}
        />
        <Select
          label="Account executive"
          placeholder="Choose the AE who will close it"
          data={aes}
          value={ownerId}
          onChange={setOwnerId}
          error={fields.ownerId}
          searchable
          clearable
        />
        <FormError error={Object.keys(fields).length ? null : message} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={convert.isPending}>
            Convert
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
