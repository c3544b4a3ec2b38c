import { Tabs } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { useSession } from '../../app/session';
import { PageHeader } from '../../components/PageHeader';
import { RoutingTab } from '../routing/RoutingTab';
import { ScorecardsTab } from '../routing/ScorecardsTab';
import { WebFormTab } from '../routing/WebFormTab';
import { ApiKeysTab } from './ApiKeysTab';
import { AuditTab } from './AuditTab';
import { PeopleTab } from './PeopleTab';
import { SegmentsTab } from './SegmentsTab';
import { TeamsTab } from './TeamsTab';
import { WorkspaceTab } from './WorkspaceTab';

const TABS = [
  { value: 'people', label: 'People', Panel: PeopleTab },
  { value: 'teams', label: 'Teams', Panel: TeamsTab },
  { value: 'segments', label: 'Segments', Panel: SegmentsTab },
  { value: 'workspace', label: 'Workspace', Panel: WorkspaceTab },
  { value: 'routing', label: 'Routing', Panel: RoutingTab },
  { value: 'scorecards', label: 'Scorecards', Panel: ScorecardsTab },
  { value: 'web-form', label: 'Web form', Panel: WebFormTab },
  { value: 'api-keys', label: 'API keys', Panel: ApiKeysTab },
  { value: 'audit', label: 'Audit log', Panel: AuditTab },
] as const;

/** Admin and Sales Ops home: the organisation and the workspace's settings. The API refuses anyone else. */
export default function AdminPage() {
  const me = useSession();
  const [params, setParams] = useSearchParams();
  const tab = TABS.some((t) => t.value === params.get('tab')) ? (params.get('tab') as string) : 'people';
  return (
    <>
      <PageHeader title="Admin" subtitle={me.workspace.name} />
      <Tabs value={tab} onChange={(v) => setParams(v && v !== 'people' ? { tab: v } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {TABS.map(({ value, Panel }) => (
          <Tabs.Panel key={value} value={value}>
            <Panel />
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}
