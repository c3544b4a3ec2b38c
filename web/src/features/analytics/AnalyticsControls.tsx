import { Autocomplete, Group, SegmentedControl, Select } from '@mantine/core';
import { CHANNELS, label, options, SEGMENTS, SOURCE_TYPES } from '../../api/domain';
import { GROUP_BYS } from './analytics.api';
import { recentQuarters } from './analytics.format';
import type { useRangeParams } from './useRange';

const ALL = 'all';

/**
 * Period (pick a quarter or type 2026, 2026-09, 2026-W37...), cohort/period view, grouping, and the segment,
 * source type and channel filters (cleared = all).
 */
export function AnalyticsControls({ r, withGroupBy = true }: { r: ReturnType<typeof useRangeParams>; withGroupBy?: boolean }) {
  // An explicit "All" option rather than Mantine's clear button, which is hidden from keyboards and screen readers.
  const filter = (key: 'segment' | 'sourceType' | 'channel', text: string, data: { value: string; label: string }[], w: number) => (
    <Select
      size="xs"
      label={text}
      data={[{ value: ALL, label: 'All' }, ...data]}
      value={r.filters[key] || ALL}
      onChange={(v) => r.set(key, v === ALL ? null : v)}
      allowDeselect={false}
      searchable={data.length > 5}
      w={w}
    />
  );
  return (
    <Group gap="sm" align="flex-end" mb="md" wrap="wrap">
      <Autocomplete
        size="xs"
        label="Period"
        data={recentQuarters(r.defaultPeriod)}
        value={r.period}
        onChange={(v) => r.set('period', v)}
        w={140}
        description="e.g. 2026-Q3, 2026-09"
      />
      <SegmentedControl
        size="xs"
        aria-label="View"
        data={[
          { value: 'period', label: 'Period' },
          { value: 'cohort', label: 'Cohort' },
        ]}
        value={r.view}
        onChange={(v) => r.set('view', v)}
      />
      {withGroupBy ? (
        <Select
          size="xs"
          label="Group by"
          data={GROUP_BYS.map((g) => ({ value: g, label: g === 'none' ? 'Nothing (total)' : label(g) }))}
          value={r.groupBy}
          onChange={(v) => v && r.set('groupBy', v)}
          allowDeselect={false}
          w={170}
        />
      ) : null}
      {filter(
        'segment',
        'Segment',
        SEGMENTS.map((s) => ({ value: s, label: s })),
        110,
      )}
      {filter('sourceType', 'Source type', options(SOURCE_TYPES), 160)}
      {filter('channel', 'Channel', options(CHANNELS), 160)}
    </Group>
  );
}
