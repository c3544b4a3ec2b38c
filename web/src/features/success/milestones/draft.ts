import type { Condition, Measure, Milestone, MilestoneTemplate } from './milestones.api';

/** What the editor holds: inputs' values (numbers may be '' while typed); the server validates the rest. */
export type ConditionDraft = { label: string; events: string; measure: Measure; property: string; atLeast: number | string };
export type MilestoneDraft = {
  id: string | null;
  name: string;
  plan: string;
  template: string | null;
  windowDays: number | string;
  active: boolean;
  conditions: ConditionDraft[];
};

const conditionDraft = (c: Condition): ConditionDraft => ({
  label: c.label,
  events: c.event.join(', '),
  measure: c.measure,
  property: c.property ?? '',
  atLeast: c.atLeast,
});

export const blankCondition = (): ConditionDraft => ({ label: '', events: '', measure: 'count', property: '', atLeast: 1 });

export const draftFromScratch = (): MilestoneDraft => ({
  id: null,
  name: '',
  plan: '',
  template: null,
  windowDays: 60,
  active: true,
  conditions: [blankCondition()],
});

export const draftFromTemplate = (t: MilestoneTemplate): MilestoneDraft => ({
  id: null,
  name: t.name,
  plan: '',
  template: t.key,
  windowDays: t.windowDays,
  active: true,
  conditions: t.rule.all.map(conditionDraft),
});

export const draftOf = (m: Milestone): MilestoneDraft => ({
  id: m.id,
  name: m.name,
  plan: m.plan ?? '',
  template: m.template,
  windowDays: m.windowDays,
  active: m.active,
  conditions: m.rule.all.map(conditionDraft),
});

/** A number input's value as sent: '' becomes null so the server names the field instead of a type error. */
const num = (v: number | string) => (v === '' ? null : Number(v));

/** The request body; the template is only sent when creating (it records where the milestone came from). */
export function bodyOf(d: MilestoneDraft) {
  return {
    name: d.name,
    plan: d.plan.trim() || null,
    ...(d.id ? {} : { template: d.template }),
    windowDays: num(d.windowDays) as number,
    active: d.active,
    rule: {
      all: d.conditions.map((c) => ({
        label: c.label,
        event: c.events
          .split(',')
          .map((e) => e.trim())
          .filter(Boolean),
        measure: c.measure,
        ...(c.measure === 'distinct_values' ? { property: c.property } : {}),
        atLeast: num(c.atLeast) as number,
      })),
    },
  };
}

/** A rule in a line: "Files uploaded ≥ 1 · Active users ≥ 1". */
export const ruleSummary = (conditions: Condition[]) =>
  conditions.map((c) => `${c.label} ≥ ${c.atLeast.toLocaleString('en-US')}`).join(' · ');
