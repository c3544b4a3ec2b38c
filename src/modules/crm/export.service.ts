import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/client.js';
import { requirePermission } from '../../platform/auth/authenticate.js';
import type { Principal } from '../../platform/auth/principal.js';
import { dataScope } from '../org/org.core.js';
import { type ColumnDef, type ExportKind, KINDS } from './import.columns.js';

/**
 * CSV export in the import's own format (same columns, same names), so export -> import changes nothing.
 * Pages through the table by id (keyset), so memory stays flat however many records there are.
 */

export const EXPORT_PAGE = 2000;
const FIRST_ID = '00000000-0000-0000-0000-000000000000';

function selectFor(kind: ExportKind) {
  const spec = KINDS[kind];
  const joins: string[] = [];
  const exprs = spec.columns.map((c: ColumnDef) => {
    if (c.kind === 'id') return 't.id';
    if (c.kind === 'field') return `t.${spec.resource.columns[c.field]}`;
    if (c.kind === 'user') {
      const alias = `u_${spec.resource.columns[c.field]}`;
      joins.push(`left join users ${alias} on ${alias}.id = t.${spec.resource.columns[c.field]}`);
      return `${alias}.email`;
    }
    if (!joins.some((j) => j.includes(' acc '))) joins.push('left join accounts acc on acc.id = t.account_id');
    // The normalised domain is what import matches on.
    return c.by === 'id' ? 'acc.id' : c.by === 'externalId' ? 'acc.external_id' : 'acc.domain_normalized';
  });
  return { select: exprs.map((e, i) => `${e} as c${i}`).join(', '), joins: joins.join(' '), names: spec.columns.map((c) => c.name) };
}

/** The CSV text, page by page: first the header, then one chunk per page of records. */
export async function* exportCsv(
  db: Db,
  p: Principal,
  kind: ExportKind,
  opts: { pageSize?: number; onRows?: (count: number) => void } = {},
): AsyncGenerator<string> {
  const pageSize = opts.pageSize ?? EXPORT_PAGE;
  requirePermission(p, 'crm:read');
  const def = KINDS[kind].resource;
  const { select, joins, names } = selectFor(kind);
  const scope = dataScope(p, 'read');
  // The scope clause uses the table's own column names, so it filters the inner page before any join.
  const scopeSql = scope.all ? '' : `and ${def.scope.read('$4')}`;
  yield stringify([names]);
  let after = FIRST_ID;
  for (;;) {
    const params: unknown[] = [p.workspaceId, after, pageSize];
    if (!scope.all) params.push(scope.ownerIds);
    const rows = await db.query<Record<string, unknown>>(
      `select t.id as "_id", ${select}
         from (select * from ${def.table} where workspace_id = $1 and id > $2::uuid ${scopeSql} order by id limit $3) t
         ${joins}
        order by t.id`,
      params,
    );
    if (!rows.length) return;
    opts.onRows?.(rows.length);
    yield stringify(rows.map((r) => names.map((_, i) => cell(r[`c${i}`]))));
    after = rows[rows.length - 1]._id as string;
    if (rows.length < pageSize) return;
  }
}

const cell = (v: unknown) => (v == null ? '' : v instanceof Date ? v.toISOString() : String(v));
