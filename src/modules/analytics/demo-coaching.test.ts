import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { createDemo, DEMO_PROFILES } from '../../demo/demo.js';
import { systemPrincipal } from '../../platform/auth/principal.js';
import { type RepCoaching, repCoaching, teamCoaching } from './coaching.service.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const YEAR = { from: '2025-11-21', to: '2026-11-20' };

/**
 * The acceptance of issue 4: the coaching insights find the demo's skill profiles (src/demo/README.md), from the
 * data alone, through the small-sample guard. Scale 0.3 gives the chat reps enough deals for the guard.
 */
describeEachDb('coaching finds the demo skill profiles', (getDb) => {
  let ws: string;
  const card = async (profile: keyof typeof DEMO_PROFILES): Promise<RepCoaching> => {
    const [u] = await getDb().query<{ id: string }>('select id from users where workspace_id = $1 and email = $2', [
      ws,
      DEMO_PROFILES[profile].email,
    ]);
    return repCoaching(getDb(), systemPrincipal(ws), { repId: u.id, ...YEAR }, NOW);
  };
  const find = (c: RepCoaching, kind: 'strength' | 'gap', metric: string) => c.insights.find((i) => i.kind === kind && i.metric === metric);

  beforeAll(async () => {
    ws = (await createDemo(getDb(), { seed: 1, scale: 0.3, now: NOW, slug: 'coaching-demo' })).workspaceId;
  }, 240_000);

  it('Zachary: the best visitor -> lead conversion, as his first strength', async () => {
    const c = await card('bestVisitorToLead');
    expect(c.peers.map((p) => p.name).sort()).toEqual(['Annie Walsh', 'Raymond Ortiz', 'Rita Gomez']);
    const strength = find(c, 'strength', 'visitorToLead');
    expect(strength?.sentence).toMatch(/^Converts visitors to leads at \d\.\dx the peer median \(.+, n=\d+\)$/);
    expect(c.insights.filter((i) => i.kind === 'strength')[0].metric).toBe('visitorToLead');
  }, 60_000);

  it('Raymond: the best close rate; no gap on closing', async () => {
    const c = await card('bestCloser');
    expect(find(c, 'strength', 'opportunityToCustomer')).toBeDefined();
    expect(find(c, 'strength', 'winRate')).toBeDefined();
    expect(c.insights.some((i) => i.kind === 'gap' && (i.metric === 'winRate' || i.metric === 'opportunityToCustomer'))).toBe(false);
  }, 60_000);

  it('Annie: a weak opportunity -> customer stage, with the trial checklist and the deals behind it', async () => {
    const c = await card('weakTrialToCustomer');
    const gap = find(c, 'gap', 'opportunityToCustomer') ?? find(c, 'gap', 'winRate');
    expect(gap).toBeDefined();
    expect(gap!.checklist).toContain('Has the customer reached its first "aha" moment?');
    expect(gap!.measure).toBe('customers');
    expect(gap!.trend.points).toHaveLength(6);
  }, 60_000);

  it('the team view lists every chat rep with their top strength and gap', async () => {
    const team = await teamCoaching(getDb(), systemPrincipal(ws), YEAR, NOW);
    const byName = new Map(team.reps.map((r) => [r.rep.name, r]));
    expect(byName.get('Zachary Quinn')?.strength?.metric).toBe('visitorToLead');
    expect(['opportunityToCustomer', 'winRate']).toContain(byName.get('Annie Walsh')?.gap?.metric);
  }, 60_000);
});
