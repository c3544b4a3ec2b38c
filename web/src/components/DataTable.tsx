import { Button, Center, Loader, Table, Text } from '@mantine/core';
import { ErrorState } from './ErrorState';

export type TableColumn<T> = { key: string; header: string; render: (row: T) => React.ReactNode; width?: number | string };

/** A plain table for short, paged lists (accounts, contacts, related records), with "Load more". */
export function DataTable<T extends { id: string }>({
  rows,
  columns,
  onRowClick,
  loading,
  error,
  hasMore,
  loadingMore,
  onLoadMore,
  emptyText = 'Nothing here yet',
  label,
}: {
  rows: T[];
  columns: TableColumn<T>[];
  onRowClick?: (row: T) => void;
  loading?: boolean;
  error?: unknown;
  hasMore?: boolean;
  loadingMore?: boolean;
  onLoadMore?: () => void;
  emptyText?: string;
  label: string;
}) {
  if (error) return <ErrorState error={error} what={label.toLowerCase()} />;
  return (
    <>
      <Table.ScrollContainer minWidth={600}>
        <Table highlightOnHover={!!onRowClick} verticalSpacing="xs" aria-label={label}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c.key} w={c.width}>
                  {c.header}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr
                key={row.id}
                className={onRowClick ? 'rl-clickable-row' : undefined}
                onClick={onRowClick ? () => onRowClick(row) : undefined}
                tabIndex={onRowClick ? 0 : undefined}
                onKeyDown={onRowClick ? (e) => e.key === 'Enter' && onRowClick(row) : undefined}
              >
                {columns.map((c) => (
                  <Table.Td key={c.key}>{c.render(row)}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {loading ? (
        <Center py="md">
          <Loader size="sm" />
        </Center>
      ) : null}
      {!loading && rows.length === 0 ? (
        <Text c="dimmed" size="sm" ta="center" py="md">
          {emptyText}
        </Text>
      ) : null}
      {hasMore && onLoadMore ? (
        <Center mt="sm">
          <Button variant="default" size="xs" onClick={onLoadMore} loading={loadingMore}>
            Load more
          </Button>
        </Center>
      ) : null}
    </>
  );
}
