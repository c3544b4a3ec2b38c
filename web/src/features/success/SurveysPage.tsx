import { Badge, Button, Card, Group, Select, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link } from 'react-router';
import { useAccess, useSession } from '../../app/session';
import { DataTable, type TableColumn } from '../../components/DataTable';
import { QueryState } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { usePagedList } from '../../components/paged';
import { userOptions, useUsers } from '../../components/users';
import { SurveySettingsCard } from './SurveySettingsCard';
import { type Leaderboard, RATING_LABELS, STATUS_COLOR, SURVEY_STATUSES, type SurveyRow, useLeaderboard, useResend } from './surveys.api';

const SEE_ALL = ['admin', 'sales_ops', 'manager', 'csm', 'relationship_manager'];
const LEADERS = ['admin', 'sales_ops', 'manager'];
const ALL = 'all';

const stars = (r: number) => `${'★'.repeat(r)}${'☆'.repeat(5 - r)}`;

/** Every rep with ratings, best first: published to everyone in the workspace (comments are not). */
function LeaderboardCard({ board }: { board: Leaderboard }) {
  return (
    <Card withBorder padding="md" mb="md" component="section" aria-label="Rep rating leaderboard">
      <Text fw={600}>Rep rating leaderboard</Text>
      <Text size="xs" c="dimmed" mb="xs">
        Buyers rate the buying process 1 to 5, 90 days after the close. Below {board.threshold} with at least {board.minRatings} ratings,
        customer success is alerted when the rep is closing a deal.
      </Text>
      {board.reps.length === 0 ? (
        <Text size="sm" c="dimmed">
          No buyer has rated yet.
        </Text>
      ) : (
        <Table aria-label="Rep rating leaderboard" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>Rep</Table.Th>
              <Table.Th>Team</Table.Th>
              <Table.Th ta="right">Average</Table.Th>
              <Table.Th ta="right">Five-star deals</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {board.reps.map((r, i) => (
              <Table.Tr key={r.userId} data-testid="leader-row">
                <Table.Td>{i + 1}</Table.Td>
                <Table.Td>{r.name}</Table.Td>
                <Table.Td>{r.teamName ?? '—'}</Table.Td>
                <Table.Td ta="right">
                  <b>{r.average}</b>{' '}
                  <Text span size="xs" c="dimmed">
                    ({r.count} {r.count === 1 ? 'rating' : 'ratings'})
                  </Text>
                </Table.Td>
                <Table.Td ta="right">{r.fiveStar}</Table.Td>
                <Table.Td>
                  {r.belowThreshold ? (
                    <Badge color="red" variant="light">
                      Below {board.threshold}
                    </Badge>
                  ) : r.count < board.minRatings ? (
                    <Text size="xs" c="dimmed">
                      too few ratings to judge
                    </Text>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

function ResendButton({ row }: { row: SurveyRow }) {
  const resend = useResend();
  if (row.status === 'rated' || row.status === 'unsubscribed') return null;
  return (
    <Button
      size="compact-xs"
      variant="default"
      loading={resend.isPending}
      aria-label={`Resend the survey of ${row.opportunityName ?? 'this deal'}`}
      onClick={() =>
        resend.mutate(row.id, {
          onSuccess: () => notifications.show({ color: 'green', message: 'The survey goes out again in a moment' }),
          onError: (e) => notifications.show({ color: 'red', title: 'Not resent', message: e.message }),
        })
      }
    >
      Resend
    </Button>
  );
}

/** Each survey: deal, account, rep, where it stands, the rating and comment; filtered, paged. */
function ResultsCard() {
  const me = useSession();
  const fmt = useFormat();
  const seesAll = me.roles.some((r) => SEE_ALL.includes(r));
  const leads = me.roles.some((r) => LEADERS.includes(r));
  const { users } = useUsers();
  const [status, setStatus] = useState(ALL);
  const [rating, setRating] = useState(ALL);
  const [repId, setRepId] = useState(ALL);
  const list = usePagedList<SurveyRow>(['surveys', 'list'], '/surveys', {
    status: status === ALL ? undefined : status,
    rating: rating === ALL ? undefined : rating,
    repId: repId === ALL ? undefined : repId,
  });
  const columns: TableColumn<SurveyRow>[] = [
    {
      key: 'deal',
      header: 'Deal',
      render: (r) => <Link to={`/opportunities/${r.opportunityId}`}>{r.opportunityName ?? 'Deal'}</Link>,
    },
    { key: 'account', header: 'Account', render: (r) => r.accountName ?? '—' },
    { key: 'rep', header: 'Rep', render: (r) => r.repName ?? '—' },
    {
      key: 'status',
      header: 'Status',
      render: (r) => {
        const badge = (
          <Badge variant="light" color={STATUS_COLOR[r.status]}>
            {r.status}
          </Badge>
        );
        const why = r.skipReason ?? r.lastError;
        return why ? <Tooltip label={why}>{badge}</Tooltip> : badge;
      },
    },
    {
      key: 'rating',
      header: 'Rating',
      render: (r) =>
        r.rating == null ? (
          '—'
        ) : (
          <span title={RATING_LABELS[r.rating]} role="img" aria-label={`${r.rating} of 5`}>
            {stars(r.rating)}
          </span>
        ),
    },
    {
      key: 'comment',
      header: 'Comment',
      render: (r) => (
        <Text size="sm" lineClamp={3} style={{ whiteSpace: 'pre-wrap', maxWidth: 320 }}>
          {r.comment ?? ''}
        </Text>
      ),
    },
    {
      key: 'dates',
      header: 'Dates',
      render: (r) => (
        <Text size="xs">
          {r.ratedAt ? `rated ${fmt.date(r.ratedAt)}` : r.sentAt ? `sent ${fmt.date(r.sentAt)}` : `due ${fmt.date(r.sendAt)}`}
          {r.closedAt ? (
            <Text span size="xs" c="dimmed" display="block">
              won {fmt.date(r.closedAt)}
            </Text>
          ) : null}
        </Text>
      ),
    },
    ...(leads ? [{ key: 'actions', header: '', render: (r: SurveyRow) => <ResendButton row={r} /> }] : []),
  ];
  return (
    <Card withBorder padding="md" mb="md" component="section" aria-label="Survey results">
      <Text fw={600} mb="xs">
        {seesAll ? 'Survey results' : 'Surveys of my deals'}
      </Text>
      <Group gap="sm" align="flex-end" mb="sm" wrap="wrap">
        <Select
          size="xs"
          label="Status"
          data={[{ value: ALL, label: 'Any status' }, ...SURVEY_STATUSES.map((s) => ({ value: s, label: s }))]}
          value={status}
          onChange={(v) => setStatus(v ?? ALL)}
          allowDeselect={false}
          w={150}
        />
        <Select
          size="xs"
          label="Rating"
          data={[
            { value: ALL, label: 'Any rating' },
            ...[5, 4, 3, 2, 1].map((r) => ({ value: String(r), label: `${r} · ${RATING_LABELS[r]}` })),
          ]}
          value={rating}
          onChange={(v) => setRating(v ?? ALL)}
          allowDeselect={false}
          w={150}
        />
        {seesAll ? (
          <Select
            size="xs"
            label="Rep"
            searchable
            data={[{ value: ALL, label: 'Every rep' }, ...userOptions(users)]}
            value={repId}
            onChange={(v) => setRepId(v ?? ALL)}
            allowDeselect={false}
            w={200}
          />
        ) : null}
      </Group>
      <DataTable
        label="Survey results"
        rows={list.rows}
        columns={columns}
        loading={list.query.isPending}
        error={list.query.error}
        hasMore={list.hasMore}
        loadingMore={list.loadingMore}
        onLoadMore={list.loadMore}
        emptyText="No survey matches."
      />
    </Card>
  );
}

/** Buyer ratings: the published leaderboard, the survey results the caller may see, and (admins, sales ops) the settings. */
export default function SurveysPage() {
  const access = useAccess();
  const board = useLeaderboard();
  return (
    <>
      <PageHeader title="Buyer ratings" subtitle="How buyers rated the buying process, per rep and per deal" />
      <QueryState query={board} what="the leaderboard">
        {(data) => <LeaderboardCard board={data} />}
      </QueryState>
      <ResultsCard />
      {access.canAdmin ? <SurveySettingsCard /> : null}
    </>
  );
}
