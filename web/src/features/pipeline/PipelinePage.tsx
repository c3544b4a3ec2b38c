import {
  DndContext,
  type DragEndEvent,
  DragOverlay,
  type DragStartEvent,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { Card, SegmentedControl } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { post } from '../../api/client';
import { label } from '../../api/domain';
import type { Opportunity } from '../../api/types';
import { useAccess, useSession } from '../../app/session';
import { ErrorState } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { useUsers } from '../../components/users';
import { DealCardBody } from './DealCard';
import { LostReasonModal } from './LostReasonModal';
import { type BoardOwner, useStageCards, useStageTotals } from './pipeline.api';
import { StageColumn } from './StageColumn';

/** A move shown before the server confirms it; dropped (card back in place) if the server refuses. */
type PendingMove = { opp: Opportunity; to: string };

export default function PipelinePage() {
  const me = useSession();
  const access = useAccess();
  const fmt = useFormat();
  const { name } = useUsers();
  const qc = useQueryClient();
  const stages = me.workspace.opportunityStages;
  const wide = access.readAll || access.isManager;
  const [owner, setOwner] = useState<BoardOwner>('scope');
  const [moves, setMoves] = useState<Map<string, PendingMove>>(new Map());
  const [dragging, setDragging] = useState<Opportunity | null>(null);
  const [askLost, setAskLost] = useState<Opportunity | null>(null);
  const totals = useStageTotals(owner);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }), useSensor(KeyboardSensor));

  const setMove = (id: string, m: PendingMove | null) =>
    setMoves((prev) => {
      const next = new Map(prev);
      if (m) next.set(id, m);
      else next.delete(id);
      return next;
    });

  const move = async (opp: Opportunity, to: string, lostReason?: string) => {
    setMove(opp.id, { opp: { ...opp, stage: to }, to });
    try {
      await post<Opportunity>(`/opportunities/${opp.id}/stage`, { stage: to, lostReason });
      await qc.invalidateQueries({ queryKey: ['opportunities'] });
      notifications.show({ color: 'green', message: `${opp.name} moved to ${label(to).toLowerCase()}` });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Move refused', message: (e as Error).message });
    } finally {
      setMove(opp.id, null);
    }
  };

  const onDragStart = (e: DragStartEvent) => setDragging((e.active.data.current as { opp: Opportunity }).opp);
  const onDragEnd = (e: DragEndEvent) => {
    setDragging(null);
    const opp = (e.active.data.current as { opp: Opportunity } | undefined)?.opp;
    const to = e.over?.id as string | undefined;
    const from = moves.get(opp?.id ?? '')?.to ?? opp?.stage;
    if (!opp || !to || to === from) return;
    if (to === 'lost') setAskLost({ ...opp, stage: from ?? opp.stage });
    else void move(opp, to);
  };

  const ownerOptions = [
    { value: 'mine', label: 'Mine' },
    { value: 'scope', label: access.readAll ? 'All' : 'Team' },
  ];
  const byStage = useMemo(() => new Map((totals.data?.items ?? []).map((t) => [t.stage, t])), [totals.data]);

  return (
    <>
      <PageHeader
        title="Pipeline"
        subtitle="Drag a deal to another stage; totals are ARR per stage."
        actions={
          wide ? (
            <SegmentedControl
              size="xs"
              value={owner}
              onChange={(v) => setOwner(v as BoardOwner)}
              data={ownerOptions}
              aria-label="Whose deals"
            />
          ) : null
        }
      />
      {totals.error ? <ErrorState error={totals.error} what="the pipeline" /> : null}
      <DndContext sensors={sensors} onDragStart={onDragStart} onDragEnd={onDragEnd} onDragCancel={() => setDragging(null)}>
        <div className="rl-board" data-testid="pipeline-board">
          {stages.map((stage) => (
            <BoardColumn
              key={`${owner}-${stage}`}
              stage={stage}
              owner={owner}
              moves={moves}
              total={byStage.get(stage)}
              fmt={fmt}
              ownerName={name}
              canMove={(o) => access.canWrite(o.ownerId)}
            />
          ))}
        </div>
        <DragOverlay dropAnimation={null}>
          {dragging ? (
            <Card withBorder padding="xs" shadow="md" w={240}>
              <DealCardBody opp={dragging} fmt={fmt} ownerName={name(dragging.ownerId)} />
            </Card>
          ) : null}
        </DragOverlay>
      </DndContext>
      <LostReasonModal
        dealName={askLost?.name ?? null}
        onCancel={() => setAskLost(null)}
        onConfirm={(reason) => {
          const opp = askLost;
          setAskLost(null);
          if (opp) void move(opp, 'lost', reason);
        }}
      />
    </>
  );
}

function BoardColumn({
  stage,
  owner,
  moves,
  ...rest
}: {
  stage: string;
  owner: BoardOwner;
  moves: Map<string, PendingMove>;
} & Pick<React.ComponentProps<typeof StageColumn>, 'total' | 'fmt' | 'ownerName' | 'canMove'>) {
  const q = useStageCards(stage, owner);
  const fetched = useMemo(() => q.data?.pages.flatMap((p) => p.items) ?? [], [q.data]);
  // Cards moved away are hidden here, cards moved in are shown here, until the server has answered.
  const cards = useMemo(() => {
    const stay = fetched.filter((o) => !moves.has(o.id) || moves.get(o.id)?.to === stage);
    const arriving = [...moves.values()].filter((m) => m.to === stage && !stay.some((o) => o.id === m.opp.id)).map((m) => m.opp);
    return [...arriving, ...stay];
  }, [fetched, moves, stage]);
  return (
    <StageColumn
      stage={stage}
      cards={cards}
      loading={q.isPending}
      hasMore={!!q.hasNextPage}
      loadingMore={q.isFetchingNextPage}
      onLoadMore={() => void q.fetchNextPage()}
      {...rest}
    />
  );
}
