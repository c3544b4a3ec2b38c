import { Group, MultiSelect, Select, TextInput } from '@mantine/core';
import { CHANNELS, LEAD_STATUSES, options, SEGMENTS, SOURCE_TYPES } from '../../api/domain';
import type { User } from '../../api/types';
import type { LeadFilters } from './leads.api';

/** The lead list's filters; `search` is the raw text box (the list follows it after a short pause). */
export function LeadFilterBar({
  filters,
  search,
  onSearch,
  onChange,
  people,
}: {
  filters: LeadFilters;
  search: string;
  onSearch: (q: string) => void;
  onChange: (patch: Partial<LeadFilters>) => void;
  people: User[];
}) {
  const ownerOptions = [
    { value: 'any', label: 'Anyone' },
    { value: 'me', label: 'Me' },
    { value: 'none', label: 'Unassigned' },
    ...people.map((u) => ({ value: u.id, label: u.name })),
  ];
  const multi = { size: 'xs' as const, clearable: true, w: 170, maxDropdownHeight: 260 };
  return (
    <Group gap="xs" mb="sm" align="flex-end">
      <TextInput
        size="xs"
        label="Search"
        placeholder="Company, name or email"
        value={search}
        onChange={(e) => onSearch(e.currentTarget.value)}
        w={220}
        maxLength={100}
      />
      <MultiSelect
        {...multi}
        label="Status"
        placeholder="Any"
        data={options(LEAD_STATUSES)}
        value={filters.status}
        onChange={(v) => onChange({ status: v })}
      />
      <MultiSelect
        {...multi}
        label="Source type"
        placeholder="Any"
        data={options(SOURCE_TYPES)}
        value={filters.sourceType}
        onChange={(v) => onChange({ sourceType: v })}
      />
      <MultiSelect
        {...multi}
        label="Channel"
        placeholder="Any"
        data={options(CHANNELS)}
        value={filters.channel}
        onChange={(v) => onChange({ channel: v })}
      />
      <MultiSelect
        {...multi}
        label="Segment"
        placeholder="Any"
        data={SEGMENTS.map((s) => ({ value: s, label: s }))}
        value={filters.segment}
        onChange={(v) => onChange({ segment: v })}
      />
      <Select
        size="xs"
        label="Owner"
        w={170}
        searchable
        data={ownerOptions}
        value={filters.ownerId}
        onChange={(v) => onChange({ ownerId: v ?? 'any' })}
        allowDeselect={false}
      />
    </Group>
  );
}
