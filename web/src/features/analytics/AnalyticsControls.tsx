import { Autocomplete, Group, SegmentedControl, Select } from '@mantine/core';
import { label } from '../../api/domain';
import { GROUP_BYS } from './analytics.api';
import { recentQuarters } from './analytics.format';
import type { useRangeParams } from './useRange';

/** Period (pick a quarter or type 2026, 2026-09, 2026-W37...), cohort/period view, and grouping. */
export function AnalyticsControls({ r, withGroupBy = true }: { r: ReturnType<typeof useRangeParams>; withGroupBy?: boolean }) {
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
    </Group>
  );
}
