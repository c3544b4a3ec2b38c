import { Decimal } from 'decimal.js';

/**
 * The levels ladder (DOMAIN.md 6, the HubSpot template): each level pays a base, a variable at 100% of an annual quota
 * and a commission rate; reaching the next level takes all three milestones of that level (sales, productivity,
 * customer lifetime), never tenure. Pure: measures in, progress out.
 */

export type ProductivityMetric = 'win_rate' | 'won_deals' | 'pipeline_created';

export type Level = {
  level: number;
  name: string;
  base: string;
  variable: string;
  /** Commission, percent of ARR. */
  rate: string;
  /** Annual quota. */
  quota: string;
  windowMonths: number;
  /** Milestones to reach this level (null on level 1). */
  minClosedArr: string | null;
  productivityMetric: ProductivityMetric | null;
  productivityTarget: string | null;
  maxChurnRate: string | null;
};

/** What a rep achieved over a level's trailing window. churnRate null: no customer ARR at the window's start. */
export type Measures = { closedArr: string; productivity: Record<ProductivityMetric, string>; churnRate: string | null };

export type ComponentProgress = {
  component: 'sales' | 'productivity' | 'customer_lifetime';
  label: string;
  actual: string | null;
  target: string;
  met: boolean;
  /** Share of the way to the target, 0 to 1 (4 decimals); for churn, 1 when below the ceiling. */
  progress: string;
};

export type LevelProgress = {
  level: number;
  next: { level: number; name: string } | null;
  windowMonths: number | null;
  components: ComponentProgress[];
  /** Every milestone of the next level met: may be promoted. */
  eligible: boolean;
};

/** DOMAIN.md 6: levels 1-3 as HubSpot set them (base $50k; variable = rate x quota), milestones to reach 2 and 3. */
export const HUBSPOT_LEVELS: Level[] = [
  {
    level: 1,
    name: 'Level 1',
    base: '50000.00',
    variable: '50000.00',
    rate: '6.25',
    quota: '800000.00',
    windowMonths: 12,
    minClosedArr: null,
    productivityMetric: null,
    productivityTarget: null,
    maxChurnRate: null,
  },
  {
    level: 2,
    name: 'Level 2',
    base: '50000.00',
    variable: '66000.00',
    rate: '7.33',
    quota: '900000.00',
    windowMonths: 12,
    // Close about the quota of the level you are on.
    minClosedArr: '800000.00',
    productivityMetric: 'win_rate',
    productivityTarget: '0.2000',
    maxChurnRate: '0.1000',
  },
  {
    level: 3,
    name: 'Level 3',
    base: '50000.00',
    variable: '80000.00',
    rate: '8',
    quota: '1000000.00',
    windowMonths: 12,
    minClosedArr: '900000.00',
    productivityMetric: 'win_rate',
    productivityTarget: '0.2500',
    maxChurnRate: '0.0800',
  },
];

export const PRODUCTIVITY_LABELS: Record<ProductivityMetric, string> = {
  win_rate: 'Win rate (won / closed deals)',
  won_deals: 'Deals won',
  pipeline_created: 'Pipeline created (ARR of deals opened)',
};

const share = (actual: Decimal, target: Decimal) => Decimal.min(1, Decimal.max(0, actual.div(target))).toFixed(4);

/** The rep's progress from their level to the next, per milestone; at the top of the ladder, no next level. */
export function levelProgress(ladder: Level[], currentLevel: number, m: Measures): LevelProgress {
  const next = ladder.find((l) => l.level === currentLevel + 1);
  if (!next?.minClosedArr || !next.productivityMetric || !next.productivityTarget || !next.maxChurnRate)
    return { level: currentLevel, next: null, windowMonths: null, components: [], eligible: false };
  const closed = new Decimal(m.closedArr);
  const productivity = new Decimal(m.productivity[next.productivityMetric]);
  const ceiling = new Decimal(next.maxChurnRate);
  // No customer ARR at the window's start: nothing could churn, so nothing counts against the rep.
  const churn = m.churnRate == null ? null : new Decimal(m.churnRate);
  const churnMet = churn == null || churn.lt(ceiling);
  const components: ComponentProgress[] = [
    {
      component: 'sales',
      label: `ARR closed over the last ${next.windowMonths} months`,
      actual: closed.toFixed(2),
      target: next.minClosedArr,
      met: closed.gte(next.minClosedArr),
      progress: share(closed, new Decimal(next.minClosedArr)),
    },
    {
      component: 'productivity',
      label: PRODUCTIVITY_LABELS[next.productivityMetric],
      actual: m.productivity[next.productivityMetric],
      target: next.productivityTarget,
      met: productivity.gte(next.productivityTarget),
      progress: share(productivity, new Decimal(next.productivityTarget)),
    },
    {
      component: 'customer_lifetime',
      label: `Churn of your customers' ARR over the last ${next.windowMonths} months (below)`,
      actual: churn == null ? null : churn.toFixed(4),
      target: next.maxChurnRate,
      met: churnMet,
      // Churn only has to stay under its ceiling: full marks below it, shrinking as it rises past it.
      progress: churnMet ? '1.0000' : share(ceiling, churn as Decimal),
    },
  ];
  return {
    level: currentLevel,
    next: { level: next.level, name: next.name },
    windowMonths: next.windowMonths,
    components,
    eligible: components.every((c) => c.met),
  };
}

/** A ladder is levels 1..n without gaps; each level's pay and quota grow or stay (never a pay cut for a promotion). */
export function ladderProblems(ladder: Level[]): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  ladder.forEach((l, i) => {
    if (l.level !== i + 1) problems.push({ path: `levels.${i}.level`, message: `must be ${i + 1} (levels go 1, 2, 3… without gaps)` });
    if (i > 0) {
      const prev = ladder[i - 1];
      const ote = (x: Level) => new Decimal(x.base).plus(x.variable);
      if (ote(l).lt(ote(prev)))
        problems.push({ path: `levels.${i}.variable`, message: 'on-target earnings must not drop from the level below' });
      if (!l.minClosedArr) problems.push({ path: `levels.${i}.minClosedArr`, message: 'required above level 1' });
      if (!l.productivityMetric) problems.push({ path: `levels.${i}.productivityMetric`, message: 'required above level 1' });
      if (!l.productivityTarget) problems.push({ path: `levels.${i}.productivityTarget`, message: 'required above level 1' });
      if (!l.maxChurnRate) problems.push({ path: `levels.${i}.maxChurnRate`, message: 'required above level 1' });
    }
  });
  return problems;
}

/** On-target earnings and the quota:OTE ratio (quota / OTE, two decimals: HubSpot's 8x for level 1). */
export function quotaToOte(l: Pick<Level, 'base' | 'variable' | 'quota'>): { ote: string; ratio: string } {
  const ote = new Decimal(l.base).plus(l.variable);
  return {
    ote: ote.toFixed(2),
    ratio: ote.isZero() ? '0.00' : new Decimal(l.quota).div(ote).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2),
  };
}
