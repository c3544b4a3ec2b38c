import { Center, Loader, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';

export type Column<T> = {
  key: string;
  header: string;
  /** CSS grid track, e.g. '2fr' or '120px'. */
  width: string;
  render: (row: T) => React.ReactNode;
  /** The API sort key when the column can sort the list. */
  sortKey?: string;
};

const ROW_HEIGHT = 40;

/**
 * A table that only renders the rows in view (plus a few), so 100,000 loaded rows scroll as smoothly as 100.
 * When the last rows come into view it asks for the next page.
 */
export function VirtualTable<T extends { id: string }>({
  rows,
  columns,
  onRowClick,
  hasMore,
  loadingMore,
  onLoadMore,
  height = 'calc(100vh - 260px)',
  sort,
  onSort,
  emptyText = 'Nothing here yet',
  label,
}: {
  rows: T[];
  columns: Column<T>[];
  onRowClick?: (row: T) => void;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  height?: string;
  sort?: { key: string; order: 'asc' | 'desc' };
  onSort?: (key: string) => void;
  emptyText?: string;
  label: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : -1;

  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= rows.length - 20) onLoadMore();
  }, [lastIndex, rows.length, hasMore, loadingMore, onLoadMore]);

  const template = columns.map((c) => c.width).join(' ');
  return (
    // biome-ignore lint/a11y/useSemanticElements: rows are absolutely positioned for virtual scrolling, which table layout cannot do; ARIA roles keep the table semantics
    <div ref={scrollRef} className="rl-vtable" style={{ height }} role="table" aria-label={label} aria-rowcount={rows.length}>
      {/* biome-ignore lint/a11y/useFocusableInteractive: a header row is not a control */}
      {/* biome-ignore lint/a11y/useSemanticElements: rows are absolutely positioned for virtual scrolling, which table layout cannot do; ARIA roles keep the table semantics */}
      <div className="rl-vhead" style={{ gridTemplateColumns: template }} role="row">
        {columns.map((c) => (
          // biome-ignore lint/a11y/useSemanticElements: rows are absolutely positioned for virtual scrolling, which table layout cannot do; ARIA roles keep the table semantics
          // biome-ignore lint/a11y/useFocusableInteractive: the header's sort button inside takes the focus
          <div
            key={c.key}
            role="columnheader"
            aria-sort={sort && sort.key === c.sortKey ? (sort.order === 'asc' ? 'ascending' : 'descending') : undefined}
          >
            {c.sortKey && onSort ? (
              <button type="button" onClick={() => onSort(c.sortKey as string)}>
                {c.header}
                {sort?.key === c.sortKey ? (sort.order === 'asc' ? ' ▲' : ' ▼') : ''}
              </button>
            ) : (
              c.header
            )}
          </div>
        ))}
      </div>
      {rows.length === 0 && !loadingMore ? (
        <Center h={120}>
          <Text c="dimmed" size="sm">
            {emptyText}
          </Text>
        </Center>
      ) : null}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => (
          <Row
            key={rows[item.index].id}
            row={rows[item.index]}
            index={item.index}
            start={item.start}
            template={template}
            columns={columns}
            onRowClick={onRowClick}
          />
        ))}
      </div>
      {loadingMore ? (
        <Center py="xs">
          <Loader size="sm" />
        </Center>
      ) : null}
    </div>
  );
}

type RowProps<T> = {
  row: T;
  index: number;
  start: number;
  template: string;
  columns: Column<T>[];
  onRowClick?: (row: T) => void;
};

// Rows that stay in view while scrolling only move: memo keeps React from re-rendering their cells.
const Row = memo(function Row<T extends { id: string }>({ row, index, start, template, columns, onRowClick }: RowProps<T>) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: rows are absolutely positioned for virtual scrolling, which table layout cannot do; ARIA roles keep the table semantics
    <div
      role="row"
      tabIndex={0}
      aria-rowindex={index + 1}
      className="rl-vrow"
      style={{
        position: 'absolute',
        top: 0,
        left: 0,
        right: 0,
        height: ROW_HEIGHT,
        transform: `translateY(${start}px)`,
        gridTemplateColumns: template,
      }}
      onClick={() => onRowClick?.(row)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onRowClick?.(row);
      }}
    >
      {columns.map((c) => (
        // biome-ignore lint/a11y/useSemanticElements: rows are absolutely positioned for virtual scrolling, which table layout cannot do; ARIA roles keep the table semantics
        <div key={c.key} role="cell">
          {c.render(row)}
        </div>
      ))}
    </div>
  );
}) as <T extends { id: string }>(props: RowProps<T>) => React.ReactElement;
