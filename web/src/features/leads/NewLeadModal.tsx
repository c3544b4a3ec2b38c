import { Button, Group, Modal, Stack } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { post } from '../../api/client';
import type { Lead } from '../../api/types';
import { useAccess, useSession } from '../../app/session';
import { FormError } from '../../components/ErrorState';
import { errorsOf } from '../../components/forms';
import { assignableOwners, useUsers } from '../../components/users';
import { emptyLeadDraft, type LeadDraft, LeadFields, leadPayload } from './LeadFields';

/** A new lead; the API's field-level messages appear under the fields they name. */
export function NewLeadModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: (l: Lead) => void }) {
  const me = useSession();
  const access = useAccess();
  const { users } = useUsers();
  const qc = useQueryClient();
  const [draft, setDraft] = useState<LeadDraft>({ ...emptyLeadDraft, ownerId: access.writeAll ? '' : (access.userId ?? '') });
  const create = useMutation({
    mutationFn: () => {
      const body = Object.fromEntries(Object.entries(leadPayload(draft)).filter(([, v]) => v !== null));
      return post<Lead>('/leads', body);
    },
    onSuccess: (lead) => {
      void qc.invalidateQueries({ queryKey: ['leads'] });
      setDraft({ ...emptyLeadDraft, ownerId: draft.ownerId });
      onClose();
      onCreated(lead);
    },
  });
  const { fields, message } = errorsOf(create.error);
  const owners = assignableOwners(users, me, access.writeAll);

  return (
    <Modal opened={opened} onClose={onClose} title="New lead" size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
        noValidate
      >
        <Stack>
          <LeadFields
            draft={draft}
            onChange={(p) => setDraft((d) => ({ ...d, ...p }))}
            errors={fields}
            ownerOptions={owners}
            currency={me.workspace.currency}
          />
          <FormError error={message} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create lead
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
