import { Select, SimpleGrid, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { patch } from '../../api/client';
import { SEGMENTS } from '../../api/domain';
import type { Account } from '../../api/types';
import { useAccess } from '../../app/session';
import { DetailsForm } from '../../components/DetailsForm';
import { changedFields, errorsOf, intOrNull, textOrNull } from '../../components/forms';
import { userOptions, useUsers } from '../../components/users';

type Draft = Record<'name' | 'domain' | 'employees' | 'industry' | 'country' | 'segment' | 'ownerId' | 'csmId', string>;
const s = (v: string | number | null) => (v == null ? '' : String(v));
const draftOf = (a: Account): Draft => ({
  name: a.name,
  domain: s(a.domain),
  employees: s(a.employees),
  industry: s(a.industry),
  country: s(a.country),
  segment: s(a.segment),
  ownerId: s(a.ownerId),
  csmId: s(a.csmId),
});
const payloadOf = (d: Draft) => ({
  name: d.name.trim(),
  domain: textOrNull(d.domain),
  employees: intOrNull(d.employees),
  industry: textOrNull(d.industry),
  country: textOrNull(d.country),
  segment: textOrNull(d.segment),
  ownerId: textOrNull(d.ownerId),
  csmId: textOrNull(d.csmId),
});

export function AccountFields({ account }: { account: Account }) {
  const access = useAccess();
  const { users } = useUsers();
  const qc = useQueryClient();
  const [draft, setDraft] = useState(() => draftOf(account));
  useEffect(() => setDraft(draftOf(account)), [account]);
  const canEdit = access.canWrite(account.ownerId, account.csmId);
  const changes = changedFields(payloadOf(draftOf(account)), payloadOf(draft));
  const save = useMutation({
    mutationFn: () => patch<Account>(`/accounts/${account.id}`, changes),
    onSuccess: (a) => {
      qc.setQueryData(['accounts', 'one', account.id], a);
      void qc.invalidateQueries({ queryKey: ['accounts', 'list'] });
      notifications.show({ color: 'green', message: 'Account saved' });
    },
  });
  const { fields, message } = errorsOf(save.error);
  const text = (key: keyof Draft, label: string, extra: Record<string, unknown> = {}) => (
    <TextInput
      label={label}
      value={draft[key]}
      onChange={(e) => setDraft({ ...draft, [key]: e.currentTarget.value })}
      error={fields[key]}
      disabled={!canEdit}
      {...extra}
    />
  );
  const people = userOptions(users);
  return (
    <DetailsForm
      onSave={() => save.mutate()}
      canEdit={canEdit}
      dirty={Object.keys(changes).length > 0}
      saving={save.isPending}
      fieldErrors={fields}
      message={message}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        {text('name', 'Name', { maxLength: 200 })}
        {text('domain', 'Domain')}
        {text('employees', 'Employees', { inputMode: 'numeric' })}
        {text('industry', 'Industry', { maxLength: 100 })}
        {text('country', 'Country', { maxLength: 2 })}
        <Select
          label="Segment"
          data={[...SEGMENTS]}
          value={draft.segment || null}
          onChange={(v) => setDraft({ ...draft, segment: v ?? '' })}
          error={fields.segment}
          disabled={!canEdit}
          clearable
        />
        <Select
          label="Account executive"
          data={people}
          value={draft.ownerId || null}
          onChange={(v) => setDraft({ ...draft, ownerId: v ?? '' })}
          error={fields.ownerId}
          disabled={!canEdit}
          searchable
          clearable
        />
        <Select
          label="CSM"
          data={people}
          value={draft.csmId || null}
          onChange={(v) => setDraft({ ...draft, csmId: v ?? '' })}
          error={fields.csmId}
          disabled={!canEdit}
          searchable
          clearable
        />
      </SimpleGrid>
    </DetailsForm>
  );
}
