import { Card, Select, SimpleGrid, Table, Text, TextInput } from '@mantine/core';
import type { PlanDraft, SegmentDraft } from './plan.draft';

type Props = { draft: PlanDraft; onChange: (d: PlanDraft) => void; errors: Record<string, string> };

/** The main assumptions, editable; each server error shows under the input its path names. */
export function PlanForm({ draft, onChange, errors }: Props) {
  const field = (
    key: 'targetArr' | 'startMonth' | 'months' | 'expectedAttainment' | 'monthlyAttrition' | 'sdrProductivity',
    label: string,
    description?: string,
  ) => (
    <TextInput
      size="xs"
      label={label}
      description={description}
      value={draft[key]}
      onChange={(e) => onChange({ ...draft, [key]: e.currentTarget.value })}
      error={errors[key]}
    />
  );
  const seg = (i: number, key: Exclude<keyof SegmentDraft, 'id' | 'quotaPer'>, label: string) => (
    <TextInput
      size="xs"
      aria-label={`${draft.segments[i].id} ${label}`}
      value={draft.segments[i][key]}
      onChange={(e) => {
        const segments = draft.segments.map((s, j) => (j === i ? { ...s, [key]: e.currentTarget.value } : s));
        onChange({ ...draft, segments });
      }}
      error={errors[`segments[${i}].${key === 'quota' ? 'aeQuota.amount' : key}`]}
    />
  );
  const columns: [Exclude<keyof SegmentDraft, 'id' | 'quotaPer'>, string][] = [
    ['share', 'Share'],
    ['averageDealSize', 'Deal size'],
    ['leadToOpportunity', 'Lead → opp'],
    ['opportunityToCustomer', 'Opp → customer'],
    ['salesCycleDays', 'Cycle days'],
    ['quota', 'AE quota'],
  ];
  return (
    <Card withBorder padding="md" component="section" aria-label="Assumptions">
      <Text fw={600} mb="xs">
        Assumptions
      </Text>
      <SimpleGrid cols={{ base: 2, md: 3, lg: 6 }} mb="md">
        {field('targetArr', 'Target ARR', 'new ARR to book over the plan')}
        {field('startMonth', 'Start month', 'YYYY-MM')}
        {field('months', 'Months')}
        {field('expectedAttainment', 'Expected attainment', '0.8 = 80% of quota')}
        {field('monthlyAttrition', 'Monthly attrition', '0.02 = 2% a month')}
        {field('sdrProductivity', 'SDR productivity', 'opportunities per SDR a month')}
      </SimpleGrid>
      <Table.ScrollContainer minWidth={900}>
        <Table aria-label="Segments" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Segment</Table.Th>
              {columns.map(([, label]) => (
                <Table.Th key={label}>{label}</Table.Th>
              ))}
              <Table.Th>Quota per</Table.Th>
              <Table.Th>AE OTE</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {draft.segments.map((s, i) => (
              <Table.Tr key={s.id}>
                <Table.Td>{s.id}</Table.Td>
                {columns.map(([key, label]) => (
                  <Table.Td key={key}>{seg(i, key, label)}</Table.Td>
                ))}
                <Table.Td>
                  <Select
                    size="xs"
                    aria-label={`${s.id} Quota per`}
                    data={[
                      { value: 'year', label: 'year' },
                      { value: 'month', label: 'month' },
                    ]}
                    value={s.quotaPer}
                    onChange={(v) =>
                      v &&
                      onChange({
                        ...draft,
                        segments: draft.segments.map((x, j) => (j === i ? { ...x, quotaPer: v as 'year' | 'month' } : x)),
                      })
                    }
                    allowDeselect={false}
                    w={90}
                  />
                </Table.Td>
                <Table.Td>
                  <TextInput
                    size="xs"
                    aria-label={`${s.id} AE OTE`}
                    value={draft.oteAe[s.id] ?? ''}
                    onChange={(e) => onChange({ ...draft, oteAe: { ...draft.oteAe, [s.id]: e.currentTarget.value } })}
                    error={errors[`ote.ae.${s.id}`]}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {errors.segments ? (
        <Text size="xs" c="red" role="alert">
          Segments: {errors.segments}
        </Text>
      ) : null}
      <SimpleGrid cols={{ base: 2, md: 4 }} mt="md">
        <TextInput
          size="xs"
          label="SDR OTE"
          value={draft.oteSdr}
          onChange={(e) => onChange({ ...draft, oteSdr: e.currentTarget.value })}
          error={errors['ote.sdr']}
        />
        <TextInput
          size="xs"
          label="CSM OTE"
          value={draft.oteCsm}
          onChange={(e) => onChange({ ...draft, oteCsm: e.currentTarget.value })}
          error={errors['ote.csm']}
        />
      </SimpleGrid>
    </Card>
  );
}
