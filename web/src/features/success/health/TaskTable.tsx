import { Anchor, Badge, Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link } from 'react-router';
import { DataTable, type TableColumn } from '../../../components/DataTable';
import { useFormat } from '../../../components/format';
import { useUsers } from '../../../components/users';
import { TASK_KIND_LABEL, type Task, useCloseTask } from './health.api';

/**
 * Success tasks with Done and Dismiss. The server decides who may close one (assignee, their manager, leaders):
 * a refusal shows as a notification, nothing is hidden on a guess.
 */
export function TaskTable({
  rows,
  label,
  loading,
  error,
  hasMore,
  onLoadMore,
  showAccount = true,
}: {
  rows: Task[];
  label: string;
  loading?: boolean;
  error?: unknown;
  hasMore?: boolean;
  onLoadMore?: () => void;
  showAccount?: boolean;
}) {
  const fmt = useFormat();
  const { name } = useUsers();
  const close = useCloseTask();
  const act = (t: Task, status: 'done' | 'dismissed') =>
    close.mutate(
      { id: t.id, status },
      {
        onSuccess: () => notifications.show({ color: 'green', message: `${status === 'done' ? 'Done' : 'Dismissed'}: ${t.title}` }),
        onError: (e) => notifications.show({ color: 'red', title: 'Not changed', message: (e as Error).message }),
      },
    );
  const overdue = (t: Task) => t.status === 'open' && new Date(t.dueAt).getTime() < Date.now();

  const columns: TableColumn<Task>[] = [
    {
      key: 'task',
      header: 'Task',
      render: (t) => (
        <div>
          <Text size="sm" fw={500}>
            {t.title}
          </Text>
          <Text size="xs" c="dimmed">
            {TASK_KIND_LABEL[t.kind]}
            {t.detail ? ` · ${t.detail}` : ''}
          </Text>
        </div>
      ),
    },
    ...(showAccount
      ? [
          {
            key: 'account',
            header: 'Account',
            render: (t: Task) => (
              <Anchor component={Link} to={`/accounts/${t.accountId}?tab=success`} size="sm">
                {t.accountName}
              </Anchor>
            ),
          },
        ]
      : []),
    { key: 'assignee', header: 'Assignee', render: (t) => name(t.assigneeId) || 'Unassigned' },
    {
      key: 'due',
      header: 'Due',
      width: 150,
      render: (t) => (
        <Text size="sm" c={overdue(t) ? 'red' : undefined}>
          {fmt.date(t.dueAt)}
        </Text>
      ),
    },
    {
      key: 'actions',
      header: '',
      width: 190,
      render: (t) =>
        t.status === 'open' ? (
          <Group gap={6} wrap="nowrap">
            <Button
              size="xs"
              onClick={() => act(t, 'done')}
              loading={close.isPending && close.variables?.id === t.id}
              aria-label={`Mark done: ${t.title}`}
            >
              Done
            </Button>
            <Button size="xs" variant="default" onClick={() => act(t, 'dismissed')} aria-label={`Dismiss: ${t.title}`}>
              Dismiss
            </Button>
          </Group>
        ) : (
          <Badge variant="light" color={t.status === 'done' ? 'green' : 'gray'}>
            {t.status === 'done' ? 'Done' : 'Dismissed'}
          </Badge>
        ),
    },
  ];
  return (
    <DataTable
      label={label}
      rows={rows}
      columns={columns}
      loading={loading}
      error={error}
      hasMore={hasMore}
      onLoadMore={onLoadMore}
      emptyText="No open tasks: nothing needs you right now"
    />
  );
}
