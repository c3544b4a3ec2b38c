import type { FunnelMetrics, FunnelRow, Rate } from './analytics.api';

/** A share as people read it, or a dash when the server measured none (no denominator, or not this group's stage). */
export const pct = (r: Rate | number | null | undefined) => {
  const v = typeof r === 'number' ? r : r?.value;
  return v == null ? '—' : `${(v * 100).toFixed(1)}%`;
};

export const days = (d: number | null | undefined) => (d == null ? '—' : d < 1 ? `${Math.round(d * 24)} h` : `${d.toFixed(1)} d`);

/** The current quarter in the workspace's time zone, as the API spells it: 2026-Q3. */
export function currentQuarter(timeZone: string, now = new Date()): string {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).format(now).split('-');
  return `${y}-Q${Math.floor((Number(m) - 1) / 3) + 1}`;
}

/** The last eight quarters, newest first, for the picker (any other period can still be typed). */
export function recentQuarters(current: string, count = 8): string[] {
  const [y, q] = current.split('-Q').map(Number);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const idx = y * 4 + (q - 1) - i;
    out.push(`${Math.floor(idx / 4)}-Q${(idx % 4) + 1}`);
  }
  return out;
}

/**
 * The trend's window for a chosen period: the twelve calendar months ending at the period's last day
 * (YYYY-MM-DD, the server's resolved range.to), from the first day of the month eleven months earlier.
 * Same window as the server's trailingMonths when the period ends a month; a week's window ends mid-month.
 */
export function trailingYear(to: string): { from: string; to: string } {
  const [y, m] = to.split('-').map(Number);
  const idx = y * 12 + (m - 1) - 11;
  return { from: `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}-01`, to };
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading =+-@ is defused for spreadsheets. */
export function csvField(v: string | number | null | undefined): string {
  if (v == null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_HEADER = [
  'group',
  'visitors',
  'conversations',
  'leads',
  'qualified',
  'opportunities',
  'customers',
  'lost',
  'lead_to_opportunity',
  'opportunity_to_customer',
  'win_rate',
  'sales_cycle_days',
  'pipeline_created',
  'won_amount',
  'average_deal_size',
];

const share = (r: Rate | null) => (r ? r.value.toFixed(4) : '');

function csvRow(label: string, m: FunnelMetrics): (string | number | null)[] {
  return [
    label,
    m.counts.visitors,
    m.counts.conversations,
    m.counts.leads,
    m.counts.qualified,
    m.counts.opportunities,
    m.counts.customers,
    m.counts.lost,
    share(m.conversion.leadToOpportunity),
    share(m.conversion.opportunityToCustomer),
    share(m.winRate),
    m.salesCycleDays,
    m.pipelineCreated,
    m.wonAmount,
    m.averageDealSize,
  ];
}

/** The table's rows (and the total) as CSV text; money stays the API's exact decimal strings. */
export function funnelCsv(rows: FunnelRow[], total: FunnelMetrics): string {
  const lines = [CSV_HEADER, ...rows.map((r) => csvRow(r.label, r.metrics)), csvRow('Total', total)];
  return `${lines.map((l) => l.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
