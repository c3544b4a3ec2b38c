import { Card, Grid, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { get } from '../../api/client';
import type { Account, Contact, Opportunity, Subscription } from '../../api/types';
import { StatusBadge } from '../../components/badges';
import { DataTable } from '../../components/DataTable';
import { QueryState } from '../../components/ErrorState';
import { personName, sumMoney, useFormat } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { usePagedList } from '../../components/paged';
import { useUsers } from '../../components/users';
import { AccountSuccessTab } from '../success/AccountSuccessTab';
import { RecordTimeline } from '../timeline/RecordTimeline';
import { AccountFields } from './AccountFields';

export default function AccountPage() {
  const { id = '' } = useParams();
  const q = useQuery({ queryKey: ['accounts', 'one', id], queryFn: () => get<Account>(`/accounts/${id}`) });
  return (
    <QueryState query={q} what="this account">
      {(a) => <AccountView key={a.id} account={a} />}
    </QueryState>
  );
}

function AccountView({ account }: { account: Account }) {
  const fmt = useFormat();
  const navigate = useNavigate();
  const { name } = useUsers();
  const contacts = usePagedList<Contact>(['contacts', 'of', account.id], '/contacts', {
    accountId: account.id,
    sort: 'lastName',
    order: 'asc',
  });
  const opps = usePagedList<Opportunity>(['opportunities', 'of', account.id], '/opportunities', {
    accountId: account.id,
    sort: 'closeDate',
    order: 'desc',
  });
  const subs = usePagedList<Subscription>(['subscriptions', 'of', account.id], '/subscriptions', {
    accountId: account.id,
    sort: 'renewalDate',
    order: 'asc',
  });
  // The tab is in the URL so a CSM can link straight to an account's success tab.
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'success' ? 'success' : 'overview';
  const activeArr = subs.rows.filter((s) => s.status === 'active' || s.status === 'trialing');

  return (
    <>
      <PageHeader
        title={<span data-testid="account-title">{account.name}</span>}
        subtitle={[
          account.domain,
          account.segment,
          account.industry,
          `AE ${name(account.ownerId) || 'unassigned'}`,
          `CSM ${name(account.csmId) || 'none'}`,
        ]
          .filter(Boolean)
          .join(' · ')}
      />
      <Tabs value={tab} onChange={(t) => setParams(t === 'success' ? { tab: t } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          <Tabs.Tab value="success">Success</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="success">
          <AccountSuccessTab accountId={account.id} />
        </Tabs.Panel>
        <Tabs.Panel value="overview">
          <Grid gap="md">
            <Grid.Col span={{ base: 12, md: 7 }}>
              <Stack>
                <Card withBorder>
                  <Title order={5} mb="xs">
                    Subscriptions
                  </Title>
                  {activeArr.length ? (
                    <Text size="sm" mb="xs">
                      Live ARR <b>{fmt.exactMoney(sumMoney(activeArr.map((s) => s.arr)))}</b> across {activeArr.length} subscription
                      {activeArr.length > 1 ? 's' : ''}
                    </Text>
                  ) : null}
                  <DataTable
                    label="Subscriptions"
                    rows={subs.rows}
                    loading={subs.query.isPending}
                    error={subs.query.error}
                    hasMore={subs.hasMore}
                    loadingMore={subs.loadingMore}
                    onLoadMore={subs.loadMore}
                    emptyText="No subscriptions yet"
                    columns={[
                      { key: 'plan', header: 'Plan', render: (s) => s.plan ?? '—' },
                      { key: 'arr', header: 'ARR', render: (s) => fmt.exactMoney(s.arr) },
                      { key: 'start', header: 'Started', render: (s) => fmt.day(s.startDate) },
                      { key: 'renewal', header: 'Renewal', render: (s) => fmt.day(s.renewalDate) },
                      { key: 'status', header: 'Status', render: (s) => <StatusBadge value={s.status} /> },
                    ]}
                  />
                </Card>
                <Card withBorder>
                  <Title order={5} mb="xs">
                    Opportunities
                  </Title>
                  <DataTable
                    label="Opportunities"
                    rows={opps.rows}
                    loading={opps.query.isPending}
                    error={opps.query.error}
                    hasMore={opps.hasMore}
                    loadingMore={opps.loadingMore}
                    onLoadMore={opps.loadMore}
                    onRowClick={(o) => navigate(`/opportunities/${o.id}`)}
                    emptyText="No opportunities"
                    columns={[
                      { key: 'name', header: 'Name', render: (o) => o.name },
                      { key: 'stage', header: 'Stage', render: (o) => <StatusBadge value={o.stage} /> },
                      { key: 'amount', header: 'Amount', render: (o) => fmt.money(o.amount) },
                      { key: 'close', header: 'Close date', render: (o) => fmt.day(o.closeDate) },
                      { key: 'owner', header: 'Owner', render: (o) => name(o.ownerId) },
                    ]}
                  />
                </Card>
                <Card withBorder>
                  <Title order={5} mb="xs">
                    Contacts
                  </Title>
                  <DataTable
                    label="Contacts"
                    rows={contacts.rows}
                    loading={contacts.query.isPending}
                    error={contacts.query.error}
                    hasMore={contacts.hasMore}
                    loadingMore={contacts.loadingMore}
                    onLoadMore={contacts.loadMore}
                    emptyText="No contacts"
                    columns={[
                      { key: 'name', header: 'Name', render: (c) => personName(c) || '—' },
                      { key: 'email', header: 'Email', render: (c) => c.email },
                      { key: 'title', header: 'Title', render: (c) => c.title },
                      { key: 'phone', header: 'Phone', render: (c) => c.phone },
                    ]}
                  />
                </Card>
                <AccountFields account={account} />
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 5 }}>
              <RecordTimeline recordType="account" recordId={account.id} />
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
