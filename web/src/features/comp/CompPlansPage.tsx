import { Badge, Card, Group, NavLink, SimpleGrid, Stack, Text } from '@mantine/core';
import { useNavigate, useParams } from 'react-router';
import { useAccess } from '../../app/session';
import { QueryState } from '../../components/ErrorState';
import { PageHeader } from '../../components/PageHeader';
import { AssignmentsCard } from './AssignmentsCard';
import { usePlans } from './comp.api';
import { DiscussionPanel } from './DiscussionPanel';
import { PlanEditor } from './PlanEditor';

/**
 * Comp plans: every plan with its versions; a version opens as JSON (drafts editable by sales ops, with the API's
 * field-level errors), publish from a date, assignments, and the discussion of a draft (/comp/plans/:key/:version).
 */
export default function CompPlansPage() {
  const plans = usePlans();
  const access = useAccess();
  const navigate = useNavigate();
  const params = useParams();
  return (
    <>
      <PageHeader
        title="Comp plans"
        subtitle="Plans are versioned documents: change a plan with a new draft version, publish it from a date."
      />
      <QueryState query={plans} what="the plans">
        {(data) => {
          const keys = [...new Set(data.items.map((p) => p.key))];
          const selected =
            data.items.find((p) => p.key === params.key && String(p.version) === params.version) ??
            (params.key ? undefined : data.items.at(-1));
          return (
            <Stack>
              <SimpleGrid cols={{ base: 1, md: 3 }}>
                <Card withBorder>
                  {keys.map((k) => (
                    <NavLink key={k} label={k} defaultOpened childrenOffset={12}>
                      {data.items
                        .filter((p) => p.key === k)
                        .map((p) => (
                          <NavLink
                            key={p.id}
                            active={selected?.id === p.id}
                            label={
                              <Group gap={6}>
                                <Text size="sm">v{p.version}</Text>
                                <Badge size="xs" color={p.status === 'draft' ? 'yellow' : 'green'}>
                                  {p.status}
                                </Badge>
                              </Group>
                            }
                            description={p.effectiveFrom ? `from ${p.effectiveFrom}` : p.name}
                            onClick={() => navigate(`/comp/plans/${encodeURIComponent(p.key)}/${p.version}`)}
                          />
                        ))}
                    </NavLink>
                  ))}
                  {!keys.length ? <Text c="dimmed">No plans yet.</Text> : null}
                </Card>
                <Stack style={{ gridColumn: 'span 2' }}>
                  {selected ? <PlanEditor key={selected.id + String(selected.updatedAt)} plan={selected} /> : null}
                  {selected?.status === 'draft' ? <DiscussionPanel planKey={selected.key} version={selected.version} /> : null}
                </Stack>
              </SimpleGrid>
              {access.canAdmin || access.isManager ? <AssignmentsCard planKeys={keys} /> : null}
            </Stack>
          );
        }}
      </QueryState>
    </>
  );
}
