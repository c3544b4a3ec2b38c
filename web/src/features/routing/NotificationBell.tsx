import { ActionIcon, Button, Group, Indicator, Popover, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { get, post } from '../../api/client';
import type { Items } from '../../api/types';
import { type Notice, recordPath, routingKeys } from './routing.api';
import { relativeTime } from './time';

/** Polled every 30 s; past this many unread the badge says "99+". */
const UNREAD_LIMIT = 100;

function BellIcon() {
  return (
    <svg
      width="20"
      height="20"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
      <path d="M13.73 21a2 2 0 0 1-3.46 0" />
    </svg>
  );
}

/** The bell in the header: unread count, the latest notifications, mark read, and a click goes to the record. */
export function NotificationBell() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [opened, { toggle, close }] = useDisclosure(false);
  const unread = useQuery({
    queryKey: routingKeys.unread,
    queryFn: () => get<Items<Notice>>('/notifications', { unread: 'true', limit: UNREAD_LIMIT }),
    refetchInterval: 30_000,
    staleTime: 0,
  });
  const recent = useQuery({
    queryKey: routingKeys.recentNotices,
    queryFn: () => get<Items<Notice>>('/notifications', { limit: 30 }),
    enabled: opened,
    staleTime: 0,
  });
  const markRead = useMutation({
    mutationFn: (ids: number[] | 'all') => post('/notifications/read', { ids }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['notifications'] }),
  });
  const count = unread.data?.items.length ?? 0;
  const countText = count >= UNREAD_LIMIT ? '99+' : String(count);
  const open = (n: Notice) => {
    if (!n.readAt) markRead.mutate([n.id]);
    const path = recordPath(n.recordType, n.recordId);
    close();
    if (path) navigate(path);
  };

  return (
    <Popover opened={opened} onChange={(o) => !o && close()} position="bottom-end" width={380} shadow="md" withinPortal>
      <Popover.Target>
        <Indicator label={countText} size={18} disabled={count === 0} color="red" offset={4} data-testid="notification-count">
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            onClick={toggle}
            aria-label={count ? `Notifications (${count} unread)` : 'Notifications'}
          >
            <BellIcon />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p="xs">
        <Group justify="space-between" mb="xs">
          <Text fw={600} size="sm">
            Notifications
          </Text>
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={() => markRead.mutate('all')}
            disabled={count === 0}
            loading={markRead.isPending && markRead.variables === 'all'}
          >
            Mark all read
          </Button>
        </Group>
        <ScrollArea.Autosize mah={420}>
          <Stack gap={2} role="list" aria-label="Notifications">
            {recent.isPending ? (
              <Text size="sm" c="dimmed">
                Loading…
              </Text>
            ) : (recent.data?.items ?? []).length === 0 ? (
              <Text size="sm" c="dimmed">
                Nothing yet.
              </Text>
            ) : (
              recent.data?.items.map((n) => (
                <Group key={n.id} role="listitem" gap={4} wrap="nowrap" align="flex-start" data-unread={!n.readAt}>
                  <UnstyledButton
                    onClick={() => open(n)}
                    style={{ flex: 1, borderRadius: 4 }}
                    p={6}
                    bg={n.readAt ? undefined : 'var(--mantine-color-blue-0)'}
                  >
                    <Text size="sm" fw={n.readAt ? 400 : 600}>
                      {n.title}
                    </Text>
                    {n.body ? (
                      <Text size="xs" c="dimmed" lineClamp={2}>
                        {n.body}
                      </Text>
                    ) : null}
                    <Text size="xs" c="dimmed">
                      {relativeTime(n.createdAt)}
                    </Text>
                  </UnstyledButton>
                  {!n.readAt ? (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="gray"
                      onClick={() => markRead.mutate([n.id])}
                      aria-label={`Mark read: ${n.title}`}
                    >
                      Read
                    </Button>
                  ) : null}
                </Group>
              ))
            )}
          </Stack>
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  );
}
