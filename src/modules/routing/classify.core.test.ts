import { describe, expect, it } from 'vitest';
import { classifySource, DEFAULT_CHANNEL_RULES, validateChannelRules } from './classify.core.js';

describe('source classification by channel', () => {
  it('maps channels to seeds, nets and spears by default', () => {
    expect(classifySource(DEFAULT_CHANNEL_RULES, { channel: 'referral' })).toEqual({ sourceType: 'seed', direction: 'inbound' });
    expect(classifySource(DEFAULT_CHANNEL_RULES, { channel: 'signup' })).toEqual({ sourceType: 'net', direction: 'inbound' });
    expect(classifySource(DEFAULT_CHANNEL_RULES, { channel: 'linkedin' })).toEqual({ sourceType: 'spear', direction: 'outbound' });
  });
  it('follows edited rules, but a source type given on the lead wins', () => {
    const rules = DEFAULT_CHANNEL_RULES.map((r) =>
      r.channel === 'event' ? { ...r, sourceType: 'spear' as const, direction: 'outbound' as const } : r,
    );
    expect(classifySource(rules, { channel: 'event' })).toEqual({ sourceType: 'spear', direction: 'outbound' });
    expect(classifySource(rules, { channel: 'event', sourceType: 'seed' })).toEqual({ sourceType: 'seed', direction: 'outbound' });
  });
  it('requires exactly one rule per channel', () => {
    expect(validateChannelRules(DEFAULT_CHANNEL_RULES)).toBeNull();
    expect(validateChannelRules(DEFAULT_CHANNEL_RULES.slice(1))).toMatch(/missing: website/);
    expect(validateChannelRules([...DEFAULT_CHANNEL_RULES, DEFAULT_CHANNEL_RULES[0]])).toMatch(/twice/);
  });
});
