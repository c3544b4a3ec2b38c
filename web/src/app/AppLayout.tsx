import { AppShell, Badge, Burger, Button, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { label } from '../api/domain';
import { ErrorState, PageLoader } from '../components/ErrorState';
import { NotificationBell } from '../features/routing/NotificationBell';
import { useNavCounts } from '../features/routing/navCounts';
import { navFor } from './nav';
import { SessionProvider, useMeQuery, useSession, useSignOut } from './session';

/** The signed-in shell: header with workspace and user, navigation for the role, the screen. Signed out -> /login. */
export function AppLayout() {
  const me = useMeQuery();
  const location = useLocation();
  if (me.isPending) return <PageLoader />;
  if (me.error) return <ErrorState error={me.error} />;
  if (!me.data) {
    const next = location.pathname === '/' ? '' : `?next=${encodeURIComponent(location.pathname + location.search)}`;
    return <Navigate to={`/login${next}`} replace />;
  }
  return (
    <SessionProvider value={me.data}>
      <Shell />
    </SessionProvider>
  );
}

function Shell() {
  const me = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const items = navFor(me.roles, me.home);
  const counts = useNavCounts(items.map((i) => i.to));
  // The most specific item holding the current page: /quotas/calibration lights Calibration, not Quotas too.
  const activeTo = items
    .map((i) => i.to)
    .filter((to) => location.pathname === to || location.pathname.startsWith(`${to}/`))
    .sort((a, b) => b.length - a.length)[0];

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={4} c="indigo">
              Revline
            </Title>
            <Text size="sm" c="dimmed" data-testid="workspace-name" truncate>
              {me.workspace.name}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            {me.user ? <NotificationBell /> : null}
            <Stack gap={0} align="flex-end" visibleFrom="xs">
              <Text size="sm" fw={500} data-testid="user-name">
                {me.user?.name}
              </Text>
              <Text size="xs" c="dimmed">
                {me.roles.map(label).join(', ')}
              </Text>
            </Stack>
            <Button
              variant="default"
              size="xs"
              onClick={async () => {
                await signOut();
                navigate('/login', { replace: true });
              }}
            >
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        {items.map((item) => (
          <NavLink
            key={item.to}
            component={Link}
            to={item.to}
            label={item.label}
            rightSection={
              counts[item.to] ? (
                <Badge
                  size="sm"
                  variant="filled"
                  color={item.to === '/handoffs' ? 'red' : 'gray'}
                  aria-label={`${counts[item.to]} waiting`}
                >
                  {counts[item.to]}
                </Badge>
              ) : null
            }
            active={item.to === activeTo}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

/** `/` sends each role to its own home, as /auth/me says. */
export function HomeRedirect() {
  const me = useSession();
  return <Navigate to={me.home} replace />;
}
