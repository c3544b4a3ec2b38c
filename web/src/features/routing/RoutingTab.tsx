import { SegmentedControl, Stack } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { QueryState } from '../../components/ErrorState';
import { PreviewPanel } from './PreviewPanel';
import { RoutingSettingsForm } from './RoutingSettingsForm';
import { RulesEditor } from './RulesEditor';
import { useRoutingConfig } from './routing.api';

const SECTIONS = [
  { value: 'intake', label: 'Intake rules' },
  { value: 'handoff', label: 'Handoff rules' },
  { value: 'settings', label: 'Settings' },
];

/** Admin > Routing: who gets new leads (with a "test a lead" preview), who gets handoffs, and the SLAs and calendar. */
export function RoutingTab() {
  const config = useRoutingConfig();
  const [params, setParams] = useSearchParams();
  const section = SECTIONS.some((s) => s.value === params.get('section')) ? (params.get('section') as string) : 'intake';
  return (
    <QueryState query={config} what="the routing configuration">
      {(c) => (
        <Stack>
          <SegmentedControl
            w="fit-content"
            data={SECTIONS}
            value={section}
            onChange={(v) => setParams((p) => ({ ...Object.fromEntries(p), section: v }), { replace: true })}
          />
          {section === 'intake' ? (
            <>
              <RulesEditor stage="intake" rules={c.intakeRules} />
              <PreviewPanel />
            </>
          ) : section === 'handoff' ? (
            <RulesEditor stage="handoff" rules={c.handoffRules} />
          ) : (
            <RoutingSettingsForm settings={c.settings} />
          )}
        </Stack>
      )}
    </QueryState>
  );
}
