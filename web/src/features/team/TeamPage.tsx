import { Alert, Badge, Button, Card, Group, Select, SimpleGrid, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { get } from '../../api/client';
import type { Items, TeamMemberStats } from '../../api/types';
import { useAccess } from '../../app/session';
import { RoleBadges } from '../../components/badges';
import { ErrorState, PageLoader } from '../../components/ErrorState';
import { sumMoney, useFormat } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { useTeams } from '../../components/users';

/** The manager's home: each member's open leads, open pipeline and this quarter's wins, from one API call. */
export default function TeamPage() {
  const access = useAccess();
  const fmt = useFormat();
  const teams = useTeams();
  const mine = useMemo(
    () => (teams.data?.items ?? []).filter((t) => access.readAll || t.managerId === access.userId),
    [teams.data, access.readAll, access.userId],
  );
  const [teamId, setTeamId] = useState<string | null>(null);
  useEffect(() => {
    if (!teamId && mine.length) setTeamId(mine[0].id);
  }, [mine, teamId]);
  const overview = useQuery({
    queryKey: ['team', 'overview', teamId],
    queryFn: () => get<Items<TeamMemberStats>>('/team/overview', { teamId: teamId ?? undefined }),
    enabled: !!teamId,
  });

  if (teams.error) return <ErrorState error={teams.error} what="the teams" />;
  if (teams.isPending) return <PageLoader />;
  if (!mine.length)
    return (
      <>
        <PageHeader title="Team" />
        <Alert color="gray">You do not manage a team yet. An admin can make you a team's manager in Admin → Teams.</Alert>
      </>
    );

  const rows = overview.data?.items ?? [];
  const totals = {
    openLeads: rows.reduce((n, r) => n + r.openLeads, 0),
    openOpportunities: rows.reduce((n, r) => n + r.openOpportunities, 0),
    openPipeline: sumMoney(rows.map((r) => r.openPipeline)),
    won: rows.reduce((n, r) => n + r.wonThisQuarter, 0),
    wonAmount: sumMoney(rows.map((r) => r.wonThisQuarterAmount)),
  };
  const now = new Date().toISOString();

  return (
    <>
      <PageHeader
        title="Team"
        subtitle="Workload and results this quarter"
        actions={
          <>
            <Button component={Link} to="/breaches" variant="default" size="xs">
              SLA breaches
            </Button>
            {mine.length > 1 ? (
              <Select
                size="xs"
                aria-label="Team"
                data={mine.map((t) => ({ value: t.id, label: t.name }))}
                value={teamId}
                onChange={setTeamId}
                allowDeselect={false}
              />
            ) : (
              <Text fw={500}>{mine[0].name}</Text>
            )}
          </>
        }
      />
      <SimpleGrid cols={{ base: 2, md: 4 }} mb="md">
        <Stat label="Open leads" value={totals.openLeads.toLocaleString()} />
        <Stat label="Open deals" value={totals.openOpportunities.toLocaleString()} />
        <Stat label="Open pipeline" value={fmt.money(totals.openPipeline)} />
        <Stat label="Won this quarter" value={`${fmt.money(totals.wonAmount)} (${totals.won})`} />
      </SimpleGrid>
      {overview.error ? <ErrorState error={overview.error} what="this team" /> : null}
      {overview.isPending ? <PageLoader /> : null}
      {overview.data ? (
        <Card withBorder padding={0}>
          <Table.ScrollContainer minWidth={800}>
            <Table verticalSpacing="xs" striped aria-label="Team members">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Member</Table.Th>
                  <Table.Th>Roles</Table.Th>
                  <Table.Th ta="right">Open leads</Table.Th>
                  <Table.Th ta="right">Open deals</Table.Th>
                  <Table.Th ta="right">Open pipeline</Table.Th>
                  <Table.Th ta="right">Won this quarter</Table.Th>
                  <Table.Th ta="right">Sourced this quarter</Table.Th>
                  <Table.Th ta="right">Capacity</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.userId}>
                    <Table.Td>
                      <Group gap={6}>
                        <Text size="sm" fw={500}>
                          {r.name}
                        </Text>
                        {r.outOfOfficeUntil && r.outOfOfficeUntil > now ? (
                          <Badge size="xs" color="orange" variant="light">
                            away until {fmt.date(r.outOfOfficeUntil)}
                          </Badge>
                        ) : null}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <RoleBadges roles={r.roles} />
                    </Table.Td>
                    <Table.Td ta="right">{r.openLeads.toLocaleString()}</Table.Td>
                    <Table.Td ta="right">{r.openOpportunities.toLocaleString()}</Table.Td>
                    <Table.Td ta="right">{fmt.money(r.openPipeline)}</Table.Td>
                    <Table.Td ta="right">
                      {fmt.money(r.wonThisQuarterAmount)} ({r.wonThisQuarter})
                    </Table.Td>
                    <Table.Td ta="right">{r.sourcedThisQuarter}</Table.Td>
                    <Table.Td ta="right">{r.capacity}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {rows.length === 0 ? (
            <Text c="dimmed" size="sm" ta="center" py="md">
              No members in this team yet.
            </Text>
          ) : null}
        </Card>
      ) : null}
    </>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="lg" fw={600}>
        {value}
      </Text>
    </Card>
  );
}
