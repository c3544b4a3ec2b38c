import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { ROLES, SEGMENTS } from '../org/org.core.js';

/**
 * The plan document (docs/compensation.md): JSON or YAML, validated here for the API, the CLI and the web app.
 * Numbers are decimal strings (numbers are accepted and kept as written); every problem is reported on its field.
 */

/** A decimal written as a string or a number, within [min, max], with at most `places` decimals; kept as a string. */
const decimal = (o: { min: string; max: string; places: number; what: string; above?: boolean }) => {
  const pattern = new RegExp(`^\\d{1,12}(\\.\\d{1,${o.places}})?$`);
  return (
    z
      .union([z.string(), z.number()])
      .transform((v) => String(v).trim())
      .refine((v) => pattern.test(v), `${o.what}: a decimal with at most ${o.places} decimals`)
      // zod runs every refinement: the range check must not parse what the format check refused.
      .refine(
        (v) => {
          if (!pattern.test(v)) return true;
          const d = new Decimal(v);
          return (o.above ? d.gt(o.min) : d.gte(o.min)) && d.lte(o.max);
        },
        `${o.what} must be ${o.above ? 'above' : 'at least'} ${o.min} and at most ${o.max}`,
      )
  );
};

const positiveMoney = decimal({ min: '0', max: '999999999.99', places: 2, what: 'an amount', above: true });
const rate = decimal({ min: '0', max: '100', places: 4, what: 'a percent' });
const share = decimal({ min: '0', max: '100', places: 2, what: 'a percent', above: true });
const attainmentPercent = decimal({ min: '0', max: '10000', places: 2, what: 'an attainment percent', above: true });
const multiplier = decimal({ min: '0', max: '10', places: 4, what: 'a multiplier' });
const days = z.number().int('whole days').min(1).max(3650);
const isoDate = z.iso.date('a date, YYYY-MM-DD');
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month, YYYY-MM');

export const componentId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lowercase letters, digits, - and _ (at most 40), e.g. new-arr')
  .describe('stable id of the component inside the plan: ledger lines name it');

/** Marginal tiers on attainment: the rate x multiplier applies to the part of ARR between the previous bound and upToPercent. */
const tier = z.strictObject({
  upToPercent: attainmentPercent.nullable().describe('upper bound of the tier in percent of quota; null for the last, open-ended tier'),
  multiplier: multiplier.describe('the tier rate is the base rate times this: below 1 a decelerator, above 1 an accelerator'),
});

const signingTranche = z.strictObject({ on: z.literal('signing'), percent: share });
const ahaTranche = z.strictObject({
  on: z.literal('aha_milestone'),
  percent: share,
  onMissed: z.enum(['forfeit', 'extend']).describe('when the milestone window ends unmet: forfeit the hold, or wait extendDays more'),
  onChurn: z.enum(['forfeit', 'extend']).describe('when the customer churns before the milestone: forfeit, or keep waiting as for a miss'),
  extendDays: days.optional(),
});

const levelKey = z.string().regex(/^([1-9]|1\d|20)$/, 'a level from 1 to 20');

const commission = z.strictObject({
  type: z.literal('commission'),
  id: componentId,
  label: z.string().trim().max(100).optional(),
  credit: z.enum(['ae', 'sdr']).describe('ae: the owner at close (or the AE splits); sdr: the sourcing SDR (or the SDR splits)'),
  rate: rate.optional().describe('base rate in percent of credited ARR, for every level'),
  ratesByLevel: z.record(levelKey, rate).optional().describe('base rate per level (the level of the assignment), e.g. {"1": "6.25"}'),
  tiers: z.array(tier).min(1).max(10).optional(),
  cap: positiveMoney.optional().describe('the most this component pays per quota period (calendar quarter without a quota)'),
  tranches: z
    .array(z.discriminatedUnion('on', [signingTranche, ahaTranche]))
    .min(1)
    .max(2)
    .optional()
    .describe('default: 100% at signing'),
});

const perUnit = z.strictObject({
  type: z.literal('per_unit'),
  id: componentId,
  label: z.string().trim().max(100).optional(),
  unit: z.literal('accepted_lead').describe('a qualified lead handed off by the SDR and accepted by an AE'),
  amount: positiveMoney,
  clawbackIfDisqualifiedWithinDays: days.optional(),
});

const ratingAccelerator = z.strictObject({
  type: z.literal('rating_accelerator'),
  id: componentId,
  label: z.string().trim().max(100).optional(),
  appliesTo: componentId.describe('the commission component whose deals it accelerates'),
  percent: decimal({ min: '0', max: '1000', places: 2, what: 'a percent', above: true }).describe('of the deal base commission'),
  dealRating: z.number().int().min(1).max(5).default(5),
  minOverallRating: decimal({ min: '1', max: '5', places: 2, what: 'a rating' }),
  minRatings: z.number().int().min(1).max(1000),
  combine: z.enum(['add', 'instead']).describe('instead: a deal gets the larger of its tier accelerator and this, never both'),
});

const churnClawback = z.strictObject({
  type: z.literal('churn_clawback'),
  id: componentId,
  label: z.string().trim().max(100).optional(),
  appliesTo: z.array(componentId).min(1).max(10),
  withinDays: days,
  percent: share.default('100'),
});

const retentionBonus = z.strictObject({
  type: z.literal('retention_bonus'),
  id: componentId,
  label: z.string().trim().max(100).optional(),
  amount: positiveMoney.describe('paid for each calendar quarter whose GRR meets the target'),
  targetGrrPercent: share.optional(),
  targetFromQuota: z.boolean().optional().describe("use the CSM's grr quota of the quarter when there is one"),
});

const expansionCommission = z.strictObject({
  type: z.literal('expansion_commission'),
  id: componentId,
  label: z.string().trim().max(100).optional(),
  rate,
});

const managerOverride = z.strictObject({
  type: z.literal('manager_override'),
  id: componentId,
  label: z.string().trim().max(100).optional(),
  rate: rate.describe("percent of the team's credited new ARR"),
  tiers: z.array(tier).min(1).max(10).optional().describe("on the team's attainment of the sum of its reps' quotas, per calendar quarter"),
});

const spif = z.strictObject({
  type: z.literal('spif'),
  id: componentId,
  label: z.string().trim().min(1).max(100),
  from: isoDate,
  to: isoDate,
  metric: z.enum(['won_deals', 'new_arr', 'accepted_leads']),
  atLeast: positiveMoney,
  segment: z.enum(SEGMENTS).optional(),
  amount: positiveMoney,
});

const draw = z.strictObject({
  type: z.literal('draw'),
  id: componentId,
  label: z.string().trim().max(100).optional(),
  monthlyAmount: positiveMoney,
  recoverable: z.boolean(),
  fromMonth: month.optional(),
  toMonth: month.optional(),
});

export const component = z.discriminatedUnion('type', [
  commission,
  perUnit,
  ratingAccelerator,
  churnClawback,
  retentionBonus,
  expansionCommission,
  managerOverride,
  spif,
  draw,
]);

export const planDocument = z
  .strictObject({
    key: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,59}$/, 'lowercase letters, digits and dashes (2 to 60), e.g. ae-2026')
      .describe('the plan key: versions of one plan share it'),
    name: z.string().trim().min(1).max(200),
    description: z.string().max(5000).optional(),
    roles: z.array(z.enum(ROLES)).min(1, 'at least one role').max(ROLES.length).describe('roles the plan may be assigned to'),
    components: z.array(component).min(1, 'at least one component').max(30),
  })
  .superRefine((doc, ctx) => {
    const ids = new Map<string, number>();
    for (const [i, c] of doc.components.entries()) {
      const at = (...path: (string | number)[]) => ['components', i, ...path];
      if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: at('id'), message: `duplicate component id "${c.id}"` });
      ids.set(c.id, i);
      if (c.type === 'commission') checkCommission(c, at, ctx);
      if (c.type === 'manager_override' && c.tiers) checkTiers(c.tiers, at, ctx);
      if (c.type === 'retention_bonus' && !c.targetGrrPercent && !c.targetFromQuota)
        ctx.addIssue({ code: 'custom', path: at('targetGrrPercent'), message: 'give a target GRR percent, or targetFromQuota' });
      if (c.type === 'spif' && c.to < c.from) ctx.addIssue({ code: 'custom', path: at('to'), message: 'must be on or after from' });
      if (c.type === 'draw' && c.fromMonth && c.toMonth && c.toMonth < c.fromMonth)
        ctx.addIssue({ code: 'custom', path: at('toMonth'), message: 'must be on or after fromMonth' });
    }
    const commissionOf = (id: string) => doc.components.find((c) => c.type === 'commission' && c.id === id);
    for (const [i, c] of doc.components.entries()) {
      if (c.type === 'rating_accelerator' && !commissionOf(c.appliesTo))
        ctx.addIssue({
          code: 'custom',
          path: ['components', i, 'appliesTo'],
          message: `no commission component "${c.appliesTo}" in this plan`,
        });
      if (c.type === 'churn_clawback')
        for (const [j, id] of c.appliesTo.entries())
          if (!commissionOf(id))
            ctx.addIssue({
              code: 'custom',
              path: ['components', i, 'appliesTo', j],
              message: `no commission component "${id}" in this plan`,
            });
    }
    for (const credit of ['ae', 'sdr'] as const) {
      const same = doc.components.flatMap((c, i) => (c.type === 'commission' && c.credit === credit ? [i] : []));
      for (const i of same.slice(1))
        ctx.addIssue({
          code: 'custom',
          path: ['components', i, 'credit'],
          message: `only one commission component per credit (${credit})`,
        });
    }
    for (const type of ['draw', 'manager_override', 'per_unit', 'expansion_commission', 'retention_bonus'] as const) {
      const same = doc.components.flatMap((c, i) => (c.type === type ? [i] : []));
      for (const i of same.slice(1))
        ctx.addIssue({ code: 'custom', path: ['components', i, 'type'], message: `only one ${type} component per plan` });
    }
  });

type Ctx = z.RefinementCtx;

/**
 * zod runs the document's cross-field checks even when a field failed its own check: they only compare values that
 * parsed (the field's own error is reported already).
 */
const asDecimal = (v: unknown): Decimal | null => (typeof v === 'string' && /^\d{1,12}(\.\d{1,4})?$/.test(v) ? new Decimal(v) : null);
type At = (...path: (string | number)[]) => (string | number)[];

function checkCommission(c: z.infer<typeof commission>, at: At, ctx: Ctx) {
  if ((c.rate == null) === (c.ratesByLevel == null))
    ctx.addIssue({ code: 'custom', path: at('rate'), message: 'give either rate or ratesByLevel' });
  if (c.ratesByLevel && Object.keys(c.ratesByLevel).length === 0)
    ctx.addIssue({ code: 'custom', path: at('ratesByLevel'), message: 'at least one level' });
  if (c.tiers) checkTiers(c.tiers, at, ctx);
  if (c.tranches) {
    const percents = c.tranches.map((t) => asDecimal(t.percent));
    const total = percents.every((d) => d != null) ? percents.reduce((s: Decimal, d) => s.plus(d!), new Decimal(0)) : null;
    if (total && !total.eq(100))
      ctx.addIssue({ code: 'custom', path: at('tranches'), message: `tranche percents must add up to 100 (they add up to ${total})` });
    for (const on of ['signing', 'aha_milestone'])
      for (const [j] of c.tranches.entries())
        if (c.tranches[j].on === on && c.tranches.findIndex((t) => t.on === on) !== j)
          ctx.addIssue({ code: 'custom', path: at('tranches', j, 'on'), message: `only one ${on} tranche` });
    for (const [j, t] of c.tranches.entries())
      if (t.on === 'aha_milestone' && (t.onMissed === 'extend' || t.onChurn === 'extend') && t.extendDays == null)
        ctx.addIssue({ code: 'custom', path: at('tranches', j, 'extendDays'), message: 'required when a policy is extend' });
  }
}

/** Bounds go up strictly; only the last tier is open-ended (upToPercent null). */
function checkTiers(tiers: z.infer<typeof tier>[], at: At, ctx: Ctx) {
  for (const [j, t] of tiers.entries()) {
    const last = j === tiers.length - 1;
    if (last && t.upToPercent != null)
      ctx.addIssue({ code: 'custom', path: at('tiers', j, 'upToPercent'), message: 'the last tier is open-ended: null' });
    if (!last && t.upToPercent == null)
      ctx.addIssue({ code: 'custom', path: at('tiers', j, 'upToPercent'), message: 'only the last tier may be open-ended' });
    const prev = tiers[j - 1]?.upToPercent;
    const [bound, before] = [asDecimal(t.upToPercent), asDecimal(prev)];
    if (j > 0 && bound && before && bound.lte(before))
      ctx.addIssue({ code: 'custom', path: at('tiers', j, 'upToPercent'), message: `must be above the previous tier's ${prev}` });
  }
}

export type PlanDocument = z.infer<typeof planDocument>;
export type Component = z.infer<typeof component>;
export type CommissionComponent = z.infer<typeof commission>;
export type Tier = z.infer<typeof tier>;
export type AhaTranche = z.infer<typeof ahaTranche>;
export type ComponentOf<T extends Component['type']> = Extract<Component, { type: T }>;
