import { escapeHtml as esc } from '../../platform/mail/html.js';
import { formatMoney, formatRatio } from './rounding.js';
import type { Statement } from './statements.service.js';

/**
 * The printable statement: one self-contained HTML page (print styles inline, no script). Everything that comes from
 * data (names, deals, arithmetic, reasons) is escaped: it is text, never markup.
 */
export function statementHtml(s: Statement): string {
  const money = (v: string) => esc(formatMoney(v, s.currency));
  const row = (l: Statement['lines'][number]) => `<tr>
  <td>${esc(l.period)}${l.eventPeriod ? `<br><small>event ${esc(l.eventPeriod)}</small>` : ''}</td>
  <td>${esc(l.kind.replace('_', ' '))}</td>
  <td>${esc(l.opportunityName ?? l.accountName ?? '')}</td>
  <td class="num">${money(l.amount)}</td>
  <td>${esc(l.arithmetic)}</td>
</tr>`;
  const waiting = [...s.holds, ...s.openHolds].filter((h) => h.status === 'waiting');
  const t = s.totals;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Statement ${esc(s.period.label)}: ${esc(s.rep.name)}</title>
<style>
  body { font: 13px/1.45 system-ui, sans-serif; margin: 24px; color: #111; }
  table { border-collapse: collapse; width: 100%; margin: 12px 0; }
  th, td { border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }
  .num { text-align: right; white-space: nowrap; }
  small { color: #555; }
  @media print { body { margin: 0; } a { color: inherit; } }
</style>
</head>
<body>
<h1>Statement ${esc(s.period.label)}</h1>
<p><strong>${esc(s.rep.name)}</strong> &lt;${esc(s.rep.email)}&gt;${s.rep.teamName ? `, ${esc(s.rep.teamName)}` : ''}<br>
Months: ${s.period.months.map((m) => `${esc(m.month)} (${esc(m.status)})`).join(', ')}<br>
${s.plans.map((a) => `Plan ${esc(a.planKey)}, level ${esc(a.level)}, from ${esc(a.from)}${a.to ? ` to ${esc(a.to)}` : ''}`).join('<br>')}</p>
${
  s.attainment.length
    ? `<p>${s.attainment.map((a) => `${esc(a.metric)}: ${esc(a.actual)} of ${esc(a.rampedQuota)} (${a.attainment == null ? '-' : esc(formatRatio(a.attainment))})`).join('<br>')}</p>`
    : ''
}
<table>
<thead><tr><th>Month</th><th>Kind</th><th>Deal</th><th class="num">Amount</th><th>Arithmetic</th></tr></thead>
<tbody>
${s.lines.map(row).join('\n') || '<tr><td colspan="5">No lines in this period.</td></tr>'}
</tbody>
</table>
${
  waiting.length
    ? `<h2>Holds waiting</h2><table><tbody>${waiting.map((h) => `<tr><td>${esc(h.period)}</td><td class="num">${money(h.amount)}</td><td>waits for ${esc(h.condition)}</td></tr>`).join('\n')}</tbody></table>`
    : ''
}
<table>
<tbody>
<tr><td>Earnings</td><td class="num">${money(t.earnings)}</td></tr>
<tr><td>Holds</td><td class="num">${money(t.holds)}</td></tr>
<tr><td>Releases</td><td class="num">${money(t.releases)}</td></tr>
<tr><td>Clawbacks</td><td class="num">${money(t.clawbacks)}</td></tr>
<tr><td>Adjustments</td><td class="num">${money(t.adjustments)}</td></tr>
<tr><td>Draws</td><td class="num">${money(t.draws)}</td></tr>
<tr><th>Payable</th><th class="num">${money(t.payable)}</th></tr>
</tbody>
</table>
</body>
</html>
`;
}
