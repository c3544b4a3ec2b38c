import { useState } from 'react';
import { useAccess } from '../../app/session';
import { QueryState } from '../../components/ErrorState';
import { PageHeader } from '../../components/PageHeader';
import { AccountsCard } from './milestones/AccountsCard';
import { draftFromScratch, draftFromTemplate, draftOf, type MilestoneDraft } from './milestones/draft';
import { MilestoneEditor } from './milestones/MilestoneEditor';
import { MilestoneList } from './milestones/MilestoneList';
import { useMilestones } from './milestones/milestones.api';
import { TemplatePicker } from './milestones/TemplatePicker';
import { UnmatchedCard } from './milestones/UnmatchedCard';

/**
 * Aha milestones: admins and sales ops define them (from a template or from scratch) and see how accounts fare;
 * CSMs read. Each account's own progress is on its page (the success tab).
 */
export default function MilestonesPage() {
  const access = useAccess();
  const milestones = useMilestones();
  const [draft, setDraft] = useState<MilestoneDraft | null>(null);
  // A new key per opening: the editor starts from the draft it was opened with.
  const [opened, setOpened] = useState(0);
  const open = (d: MilestoneDraft) => {
    setDraft(d);
    setOpened((n) => n + 1);
  };
  return (
    <>
      <PageHeader
        title="Aha milestones"
        subtitle="The activation moment each customer should reach within its window after the sale; half of the commission waits for it."
      />
      {access.canAdmin && !draft ? (
        <TemplatePicker onPick={(t) => open(draftFromTemplate(t))} onScratch={() => open(draftFromScratch())} />
      ) : null}
      {draft ? <MilestoneEditor key={opened} initial={draft} onDone={() => setDraft(null)} /> : null}
      <QueryState query={milestones} what="the milestones">
        {(data) => (
          <>
            <MilestoneList items={data.items} onEdit={access.canAdmin ? (m) => open(draftOf(m)) : null} />
            <AccountsCard milestones={data.items} />
          </>
        )}
      </QueryState>
      {access.readAll ? <UnmatchedCard /> : null}
    </>
  );
}
