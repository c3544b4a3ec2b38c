import { Button, Group, Stack, TextInput } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { QueryState } from '../../components/ErrorState';
import { PageHeader } from '../../components/PageHeader';
import { usePeriodParams } from '../quotas/usePeriod';
import { csvUrl, statementUrl, useLevelProgress, useStatement } from './comp.api';
import { LevelProgressCard } from './LevelProgressCard';
import { type StatementJson, StatementView } from './StatementView';

/**
 * My comp: the signed-in person's statement for a month, quarter or year (or, with ?repId=, a rep of a manager's team
 * or anyone for sales ops: the API decides), with CSV, the printable page, and progress to the next level.
 */
export default function MyCompPage() {
  const { period, debouncedPeriod, set } = usePeriodParams();
  const [params] = useSearchParams();
  const repId = params.get('repId') ?? undefined;
  const statement = useStatement(debouncedPeriod, repId);
  const progress = useLevelProgress(repId);
  const name = (statement.data as StatementJson | undefined)?.rep.name;
  return (
    <>
      <PageHeader
        title={repId && name ? `Comp: ${name}` : 'My comp'}
        subtitle="Every line shows the deal it is about and its arithmetic. Holds say what they wait for."
        actions={
          <>
            <Button component={Link} variant="subtle" to="/comp/plans">
              Plans and drafts
            </Button>
            <Button component="a" variant="default" href={csvUrl(debouncedPeriod, { repId })} download>
              Download CSV
            </Button>
            <Button component="a" variant="default" href={statementUrl(debouncedPeriod, repId)} target="_blank" rel="noopener">
              Print
            </Button>
          </>
        }
      />
      <Group mb="md">
        <TextInput
          label="Period"
          description="A month (2026-07), quarter (2026-Q3) or year (2026)"
          value={period}
          onChange={(e) => set('period', e.currentTarget.value)}
          w={260}
        />
      </Group>
      <Stack>
        {progress.data?.items[0] ? <LevelProgressCard item={progress.data.items[0]} /> : null}
        <QueryState query={statement} what="the statement">
          {(s) => <StatementView s={s as unknown as StatementJson} />}
        </QueryState>
      </Stack>
    </>
  );
}
