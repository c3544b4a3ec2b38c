import {
  Alert,
  Button,
  Card,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { CHANNELS, label, options, ROLES, SOURCE_TYPES } from '../../api/domain';
import type { Team, User } from '../../api/types';
import { userOptions } from '../../components/users';
import type { Conditions, PoolSpec, RuleAction } from './routing.api';
import { actionOfType, fieldError, type RuleDraft, SHOWN_FIELDS } from './ruleDraft';

const ACTIONS = [
  { value: 'account_owner', label: "The existing account's owner" },
  { value: 'pool', label: 'Round-robin in a pool' },
  { value: 'queue', label: 'A queue' },
  { value: 'user', label: 'A named person' },
];
const EXISTING = [
  { value: 'any', label: 'Any lead' },
  { value: 'yes', label: 'Has an existing account' },
  { value: 'no', label: 'No existing account' },
];

export type RuleCardProps = {
  rule: RuleDraft;
  index: number;
  count: number;
  segments: string[];
  users: User[];
  teams: Team[];
  errors?: Record<string, string>;
  onChange: (rule: RuleDraft) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
};

/** One routing rule: when (conditions) and where to (action), with the API's errors beside the fields they are about. */
export function RuleCard({ rule, index, count, segments, users, teams, errors, onChange, onMove, onRemove }: RuleCardProps) {
  const c = rule.conditions;
  const setC = (patch: Partial<Conditions>) => onChange({ ...rule, conditions: { ...c, ...patch } });
  const setAction = (action: RuleAction) => onChange({ ...rule, action });
  const err = (f: string) => fieldError(errors, f);
  const other = Object.entries(errors ?? {}).filter(([k]) => !SHOWN_FIELDS.some((f) => k === f || k.startsWith(`${f}.`)));
  const num = (v: string | number) => (v === '' || v == null ? undefined : Number(v));
  const title = `Rule ${index + 1}`;

  return (
    <Card
      withBorder
      component="section"
      aria-label={`${title}: ${rule.name}`}
      data-invalid={errors ? 'true' : undefined}
      style={errors ? { borderColor: 'var(--mantine-color-red-5)' } : undefined}
    >
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Group gap="sm" wrap="nowrap" style={{ flex: 1 }}>
          <Text fw={600} w={60}>
            {title}
          </Text>
          <TextInput
            aria-label="Rule name"
            value={rule.name}
            onChange={(e) => onChange({ ...rule, name: e.currentTarget.value })}
            error={err('name')}
            style={{ flex: 1 }}
            maxLength={200}
          />
          <Switch label="Enabled" checked={rule.enabled} onChange={(e) => onChange({ ...rule, enabled: e.currentTarget.checked })} />
        </Group>
        <Group gap={4} wrap="nowrap">
          <Button size="xs" variant="default" onClick={() => onMove(-1)} disabled={index === 0} aria-label={`Move ${title} up`}>
            ↑
          </Button>
          <Button size="xs" variant="default" onClick={() => onMove(1)} disabled={index === count - 1} aria-label={`Move ${title} down`}>
            ↓
          </Button>
          <Button size="xs" variant="subtle" color="red" onClick={onRemove} aria-label={`Remove ${title}`}>
            Remove
          </Button>
        </Group>
      </Group>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
        When (all conditions hold; empty means any)
      </Text>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="xs" mb="sm">
        <MultiSelect
          label="Segments"
          data={segments}
          value={c.segments ?? []}
          onChange={(v) => setC({ segments: v as Conditions['segments'] })}
          error={err('conditions.segments')}
          placeholder="Any"
          clearable
        />
        <MultiSelect
          label="Source types"
          data={options(SOURCE_TYPES)}
          value={c.sourceTypes ?? []}
          onChange={(v) => setC({ sourceTypes: v as Conditions['sourceTypes'] })}
          error={err('conditions.sourceTypes')}
          placeholder="Any"
          clearable
        />
        <MultiSelect
          label="Channels"
          data={options(CHANNELS)}
          value={c.channels ?? []}
          onChange={(v) => setC({ channels: v as Conditions['channels'] })}
          error={err('conditions.channels')}
          placeholder="Any"
          searchable
          clearable
        />
        <TagsInput
          label="Countries"
          description="Two-letter codes, Enter after each"
          value={c.countries ?? []}
          onChange={(v) => setC({ countries: v.map((x) => x.trim().toUpperCase()).filter(Boolean) })}
          error={err('conditions.countries')}
          placeholder="Any"
          clearable
        />
        <Group grow gap="xs" align="flex-start">
          <NumberInput
            label="Employees from"
            value={c.employeesMin ?? ''}
            onChange={(v) => setC({ employeesMin: num(v) })}
            error={err('conditions.employeesMin')}
            min={0}
            allowDecimal={false}
            placeholder="Any"
          />
          <NumberInput
            label="Employees to"
            value={c.employeesMax ?? ''}
            onChange={(v) => setC({ employeesMax: num(v) })}
            error={err('conditions.employeesMax')}
            min={0}
            allowDecimal={false}
            placeholder="Any"
          />
        </Group>
        <Select
          label="Existing account"
          data={EXISTING}
          value={c.existingAccount == null ? 'any' : c.existingAccount ? 'yes' : 'no'}
          onChange={(v) => setC({ existingAccount: v === 'yes' ? true : v === 'no' ? false : undefined })}
          error={err('conditions.existingAccount')}
          allowDeselect={false}
        />
      </SimpleGrid>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
        Then send the lead to
      </Text>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="xs">
        <Select
          label="Action"
          data={ACTIONS}
          value={rule.action.type}
          onChange={(v) => v && setAction(actionOfType(v as RuleAction['type']))}
          error={err('action.type')}
          allowDeselect={false}
        />
        <ActionFields action={rule.action} segments={segments} users={users} teams={teams} err={err} onChange={setAction} />
      </SimpleGrid>
      {errors?.['action.pool'] ? (
        <Alert color="red" variant="light" p="xs" mt="xs" role="alert" data-testid="pool-error">
          Pool: {errors['action.pool']}
        </Alert>
      ) : null}
      {other.length ? (
        <Stack gap={2} mt="xs" role="alert">
          {other.map(([k, m]) => (
            <Text key={k} size="sm" c="red">
              {k}: {m}
            </Text>
          ))}
        </Stack>
      ) : null}
    </Card>
  );
}

function ActionFields({
  action,
  segments,
  users,
  teams,
  err,
  onChange,
}: {
  action: RuleAction;
  segments: string[];
  users: User[];
  teams: Team[];
  err: (f: string) => string | undefined;
  onChange: (a: RuleAction) => void;
}) {
  if (action.type === 'account_owner')
    return (
      <Text size="sm" c="dimmed" mt={28} style={{ gridColumn: 'span 2' }}>
        When the lead has no existing account with an owner, the next rule is tried.
      </Text>
    );
  if (action.type === 'queue')
    return (
      <TextInput
        label="Queue name"
        value={action.queue}
        onChange={(e) => onChange({ ...action, queue: e.currentTarget.value })}
        error={err('action.queue')}
        maxLength={60}
      />
    );
  if (action.type === 'user')
    return (
      <Select
        label="Person"
        data={userOptions(users)}
        value={action.userId || null}
        onChange={(v) => onChange({ ...action, userId: v ?? '' })}
        error={err('action.userId')}
        searchable
      />
    );
  const setPool = (patch: Partial<PoolSpec>) => onChange({ ...action, pool: { ...action.pool, ...patch } });
  return (
    <>
      <MultiSelect
        label="Pool roles"
        data={ROLES.map((r) => ({ value: r, label: label(r) }))}
        value={action.pool.roles}
        onChange={(v) => setPool({ roles: v as PoolSpec['roles'] })}
        error={err('action.pool.roles')}
        searchable
      />
      <Group grow gap="xs" align="flex-start">
        <Select
          label="Pool segment"
          data={segments}
          value={action.pool.segment ?? null}
          onChange={(v) => setPool({ segment: (v as PoolSpec['segment']) ?? null })}
          error={err('action.pool.segment')}
          placeholder="Any segment"
          clearable
        />
        <Select
          label="Pool team"
          data={teams.map((t) => ({ value: t.id, label: t.name }))}
          value={action.pool.teamId ?? null}
          onChange={(v) => setPool({ teamId: v ?? null })}
          error={err('action.pool.teamId')}
          placeholder="Any team"
          clearable
        />
      </Group>
    </>
  );
}
