import { Anchor, Group, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Contact } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { personName, useFormat } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { usePagedList } from '../../components/paged';
import { useUsers } from '../../components/users';

export default function ContactsPage() {
  const fmt = useFormat();
  const { name } = useUsers();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const list = usePagedList<Contact>(['contacts', 'list'], '/contacts', { q: q || undefined, sort: 'lastName', order: 'asc' });
  return (
    <>
      <PageHeader title="Contacts" subtitle="People at your accounts" />
      <Group gap="xs" mb="sm" align="flex-end">
        <TextInput
          size="xs"
          label="Search"
          placeholder="Name or email"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={240}
          maxLength={100}
        />
      </Group>
      <Text size="xs" c="dimmed" mb={4}>
        {list.rows.length} shown{list.hasMore ? ', more available' : ''}
      </Text>
      <DataTable
        label="Contacts"
        rows={list.rows}
        loading={list.query.isPending}
        error={list.query.error}
        hasMore={list.hasMore}
        loadingMore={list.loadingMore}
        onLoadMore={list.loadMore}
        emptyText="No contacts match"
        columns={[
          {
            key: 'name',
            header: 'Name',
            render: (c) => (
              <Text size="sm" fw={500}>
                {personName(c) || '—'}
              </Text>
            ),
          },
          { key: 'email', header: 'Email', render: (c) => c.email },
          { key: 'title', header: 'Title', render: (c) => c.title },
          { key: 'phone', header: 'Phone', render: (c) => c.phone },
          {
            key: 'account',
            header: 'Account',
            render: (c) =>
              c.accountId ? (
                <Anchor component={Link} to={`/accounts/${c.accountId}`} size="sm">
                  Open account
                </Anchor>
              ) : null,
          },
          { key: 'owner', header: 'Owner', render: (c) => name(c.ownerId) },
          { key: 'created', header: 'Added', render: (c) => fmt.date(c.createdAt) },
        ]}
      />
    </>
  );
}
