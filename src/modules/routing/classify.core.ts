import type { Channel, SourceType } from '../crm/crm.core.js';
import { CHANNELS } from '../crm/crm.core.js';

/**
 * Source type (seed / net / spear) and direction (inbound / outbound) follow from the channel,
 * by rules an admin can edit. Defaults: referrals and partners are seeds (word of mouth, relationships),
 * outbound email and LinkedIn are spears (SDR prospecting), everything else is a net (marketing).
 */
export type ChannelRule = { channel: Channel; sourceType: SourceType; direction: 'inbound' | 'outbound' };

export const DEFAULT_CHANNEL_RULES: ChannelRule[] = CHANNELS.map((channel) => {
  if (channel === 'referral' || channel === 'partner') return { channel, sourceType: 'seed', direction: 'inbound' };
  if (channel === 'outbound_email' || channel === 'linkedin') return { channel, sourceType: 'spear', direction: 'outbound' };
  return { channel, sourceType: 'net', direction: 'inbound' };
});

/** A lead's own source type wins when given; otherwise the channel rule decides. */
export function classifySource(
  rules: ChannelRule[],
  lead: { channel: Channel; sourceType?: SourceType | null },
): { sourceType: SourceType; direction: 'inbound' | 'outbound' } {
  const rule = rules.find((r) => r.channel === lead.channel) ?? DEFAULT_CHANNEL_RULES.find((r) => r.channel === lead.channel)!;
  return { sourceType: lead.sourceType ?? rule.sourceType, direction: rule.direction };
}

export function validateChannelRules(rules: ChannelRule[]): string | null {
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.channel)) return `channel ${r.channel} appears twice`;
    seen.add(r.channel);
  }
  const missing = CHANNELS.filter((c) => !seen.has(c));
  return missing.length ? `every channel needs a rule; missing: ${missing.join(', ')}` : null;
}
