import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  List,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { post } from '../../api/client';
import { CHANNELS, type Channel, label, options, SOURCE_TYPES } from '../../api/domain';
import { useSession } from '../../app/session';
import { FormError } from '../../components/ErrorState';
import { errorsOf } from '../../components/forms';
import { useTeams, useUsers } from '../../components/users';
import type { Decision, PoolSpec, Preview } from './routing.api';

type Form = {
  channel: Channel;
  segment: string | null;
  sourceType: string | null;
  employees: number | '';
  expectedArr: string;
  country: string;
  email: string;
  domain: string;
};

/** "Test a lead": which saved intake rule would take it, each rule's reasons, and whom a pool would pick right now. */
export function PreviewPanel() {
  const me = useSession();
  const [f, setF] = useState<Form>({
    channel: 'website',
    segment: null,
    sourceType: null,
    employees: '',
    expectedArr: '',
    country: '',
    email: '',
    domain: '',
  });
  const preview = useMutation({
    mutationFn: () =>
      post<Preview>('/routing/preview', {
        channel: f.channel,
        segment: f.segment ?? undefined,
        sourceType: f.sourceType ?? undefined,
        employees: f.employees === '' ? undefined : f.employees,
        expectedArr: f.expectedArr.trim() || undefined,
        country: f.country.trim() || undefined,
        email: f.email.trim() || undefined,
        domain: f.domain.trim() || undefined,
      }),
  });
  const { fields, message } = errorsOf(preview.error);

  return (
    <Card withBorder component="section" aria-label="Test a lead">
      <Title order={5} mb={4}>
        Test a lead
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Runs the saved intake rules on a lead you describe. Nothing is written.
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          preview.mutate();
        }}
        noValidate
      >
        <SimpleGrid cols={{ base: 1, sm: 4 }} spacing="xs">
          <Select
            label="Channel"
            data={options(CHANNELS)}
            value={f.channel}
            onChange={(v) => v && setF({ ...f, channel: v as Channel })}
            error={fields.channel}
            allowDeselect={false}
          />
          <Select
            label="Source type"
            data={options(SOURCE_TYPES)}
            value={f.sourceType}
            onChange={(v) => setF({ ...f, sourceType: v })}
            error={fields.sourceType}
            placeholder="From the channel"
            clearable
          />
          <Select
            label="Segment"
            data={me.workspace.segments.map((s) => s.code)}
            value={f.segment}
            onChange={(v) => setF({ ...f, segment: v })}
            error={fields.segment}
            placeholder="From the size"
            clearable
          />
          <NumberInput
            label="Employees"
            value={f.employees}
            onChange={(v) => setF({ ...f, employees: v === '' ? '' : Number(v) })}
            error={fields.employees}
            min={0}
            allowDecimal={false}
          />
          <TextInput
            label="Expected ARR"
            value={f.expectedArr}
            onChange={(e) => setF({ ...f, expectedArr: e.currentTarget.value })}
            error={fields.expectedArr}
            inputMode="decimal"
          />
          <TextInput
            label="Country"
            value={f.country}
            onChange={(e) => setF({ ...f, country: e.currentTarget.value })}
            error={fields.country}
            maxLength={2}
            placeholder="FR"
          />
          <TextInput label="Email" value={f.email} onChange={(e) => setF({ ...f, email: e.currentTarget.value })} error={fields.email} />
          <TextInput
            label="Company domain"
            value={f.domain}
            onChange={(e) => setF({ ...f, domain: e.currentTarget.value })}
            error={fields.domain}
          />
        </SimpleGrid>
        <Group mt="sm">
          <Button type="submit" variant="light" loading={preview.isPending}>
            Test routing
          </Button>
        </Group>
      </form>
      <FormError error={Object.keys(fields).length ? null : message} />
      {preview.data ? <PreviewResult result={preview.data} /> : null}
    </Card>
  );
}

function PreviewResult({ result }: { result: Preview }) {
  const { name } = useUsers();
  const teams = useTeams();
  const { classification: c, decision, pick } = result;
  const matched = decision.explanation.find((r) => r.ruleId === decision.ruleId);
  const poolText = (p: PoolSpec) =>
    `round-robin among ${p.roles.map(label).join(' / ')}${p.segment ? ` in ${p.segment}` : ''}${p.teamId ? ` of ${teams.data?.items.find((t) => t.id === p.teamId)?.name ?? 'a team'}` : ''}`;
  const target = (d: Decision) => (d.kind === 'user' ? name(d.userId) : d.kind === 'pool' ? poolText(d.pool) : `the "${d.queue}" queue`);

  return (
    <Stack mt="md" gap="sm" data-testid="preview-result">
      <Text size="sm">
        Classified as <b>{c.segment ?? 'no segment'}</b> · {label(c.sourceType)} · {c.direction} ·{' '}
        {c.existingAccount ? 'existing account' : 'no existing account'}
      </Text>
      <Alert
        color={decision.ruleId ? 'indigo' : 'gray'}
        title={matched ? `Matched rule: ${matched.name}` : 'No rule matched: fallback queue'}
        data-testid="preview-decision"
      >
        <Text size="sm">Goes to {target(decision)}.</Text>
        {pick ? (
          <Text size="sm" mt={4} data-testid="preview-pick">
            {pick.ok && pick.userId
              ? `The pool would pick ${name(pick.userId)} now.`
              : 'Nobody in the pool can take it now: it would go to the fallback queue.'}
            {pick.skipped.length ? ` Skipped: ${pick.skipped.map((s) => `${name(s.id)} (${s.why})`).join(', ')}.` : ''}
          </Text>
        ) : null}
      </Alert>
      {decision.explanation.length ? (
        <Table verticalSpacing={4} aria-label="Rules checked">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Rule</Table.Th>
              <Table.Th>Result</Table.Th>
              <Table.Th>Why</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {decision.explanation.map((r) => (
              <Table.Tr key={r.ruleId}>
                <Table.Td>{r.name}</Table.Td>
                <Table.Td>
                  <Badge color={r.matched ? 'teal' : 'gray'} variant="light">
                    {r.matched ? 'matched' : 'no match'}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <List size="xs" spacing={0}>
                    {r.reasons.map((why) => (
                      <List.Item key={why}>{why}</List.Item>
                    ))}
                  </List>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text size="sm" c="dimmed">
          No enabled intake rules.
        </Text>
      )}
    </Stack>
  );
}
