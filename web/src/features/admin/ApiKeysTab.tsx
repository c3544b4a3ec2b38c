import { Alert, Badge, Button, Card, Checkbox, Code, CopyButton, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { del, get, post } from '../../api/client';
import { PERMISSIONS, type Permission } from '../../api/domain';
import type { ApiKey, Items } from '../../api/types';
import { useSession } from '../../app/session';
import { ErrorState, FormError, PageLoader } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { errorsOf } from '../../components/forms';

export function ApiKeysTab() {
  const me = useSession();
  const fmt = useFormat();
  const qc = useQueryClient();
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => get<Items<ApiKey>>('/api-keys') });
  const [name, setName] = useState('');
  const [perms, setPerms] = useState<Permission[]>(['crm:read']);
  const [created, setCreated] = useState<(ApiKey & { key: string }) | null>(null);
  const create = useMutation({
    mutationFn: () => post<ApiKey & { key: string }>('/api-keys', { name: name.trim(), permissions: perms }),
    onSuccess: (k) => {
      setCreated(k);
      setName('');
      void qc.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => del(`/api-keys/${id}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  const { fields, message } = errorsOf(create.error);
  // A key never holds more than its creator: only offer what the caller has.
  const grantable = PERMISSIONS.filter((p) => me.permissions.includes(p));

  return (
    <Stack>
      {created ? (
        <Alert color="green" title="Copy the key now: it will not be shown again" withCloseButton onClose={() => setCreated(null)}>
          <Group gap="xs" wrap="nowrap">
            <Code data-testid="new-api-key" style={{ overflowWrap: 'anywhere' }}>
              {created.key}
            </Code>
            <CopyButton value={created.key}>
              {({ copied, copy }) => (
                <Button size="xs" variant="light" onClick={copy}>
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              )}
            </CopyButton>
          </Group>
        </Alert>
      ) : null}
      <Card withBorder>
        <Title order={5} mb="xs">
          New API key
        </Title>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <Stack gap="xs">
            <TextInput
              label="Name"
              placeholder="e.g. Website forms"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={fields.name}
              w={320}
              maxLength={200}
            />
            <Checkbox.Group label="Permissions" value={perms} onChange={(v) => setPerms(v as Permission[])} error={fields.permissions}>
              <Group gap="md" mt={4}>
                {grantable.map((p) => (
                  <Checkbox key={p} value={p} label={p} />
                ))}
              </Group>
            </Checkbox.Group>
            <FormError error={Object.keys(fields).length ? null : message} />
            <Button type="submit" w="fit-content" loading={create.isPending} disabled={!name.trim() || !perms.length}>
              Create key
            </Button>
          </Stack>
        </form>
      </Card>
      {keys.error ? <ErrorState error={keys.error} what="the API keys" /> : null}
      {keys.isPending ? <PageLoader /> : null}
      {keys.data ? (
        <Table verticalSpacing="xs" aria-label="API keys">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Prefix</Table.Th>
              <Table.Th>Permissions</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {keys.data.items.map((k) => (
              <Table.Tr key={k.id}>
                <Table.Td>{k.name}</Table.Td>
                <Table.Td>
                  <Code>{k.prefix}</Code>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {k.permissions.map((p) => (
                      <Badge key={p} size="xs" variant="outline">
                        {p}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>{fmt.date(k.createdAt)}</Table.Td>
                <Table.Td>{k.lastUsedAt ? fmt.dateTime(k.lastUsedAt) : 'never'}</Table.Td>
                <Table.Td>
                  {k.revokedAt ? (
                    <Text size="xs" c="dimmed">
                      revoked {fmt.date(k.revokedAt)}
                    </Text>
                  ) : (
                    <Button
                      size="xs"
                      color="red"
                      variant="light"
                      loading={revoke.isPending && revoke.variables === k.id}
                      onClick={() => revoke.mutate(k.id)}
                    >
                      Revoke
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  );
}
