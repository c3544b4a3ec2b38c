import type { Db } from '../../src/db/client.js';

/** Writes customers by hand: accounts, subscriptions (won through a deal of `dealOwner`, or without one) and movements. */
export function customerWriter(db: Db, workspaceId: string) {
  const account = async (name: string, segment: string | null, csm: string | null, owner: string | null) => {
    const [a] = await db.query<{ id: string }>(
      'insert into accounts (workspace_id, name, segment, csm_id, owner_id) values ($1, $2, $3, $4, $5) returning id',
      [workspaceId, name, segment, csm, owner],
    );
    return a.id;
  };
  /** A subscription (won through a deal of `dealOwner`, or without a deal) and a function recording its movements. */
  const subscription = async (accountId: string, startDate: string, dealOwner: string | null) => {
    let opportunityId: string | null = null;
    if (dealOwner) {
      const [o] = await db.query<{ id: string }>(
        `insert into opportunities (workspace_id, name, account_id, stage, amount, owner_id, closed_at)
         values ($1, 'Deal', $2, 'won', 1000, $3, $4) returning id`,
        [workspaceId, accountId, dealOwner, `${startDate}T09:00:00Z`],
      );
      opportunityId = o.id;
    }
    const [s] = await db.query<{ id: string }>(
      `insert into subscriptions (workspace_id, account_id, opportunity_id, arr, start_date) values ($1, $2, $3, 0, $4) returning id`,
      [workspaceId, accountId, opportunityId, startDate],
    );
    return (kind: string, amount: string, at: string) =>
      db.query(
        'insert into arr_movements (workspace_id, subscription_id, account_id, kind, amount, occurred_at) values ($1, $2, $3, $4, $5, $6)',
        [workspaceId, s.id, accountId, kind, amount, at],
      );
  };

  return { account, subscription };
}

/**
 * A hand-built book of customers for the retention golden tests, dated around 2026-Q3 in a Europe/Paris workspace
 * (seedOrg's timezone: UTC+2 in summer, UTC+1 in winter). The expected figures are computed by hand in
 * src/modules/success/retention.service.test.ts and docs/retention.md; each account is one case:
 *
 * | account      | segment | CSM  | closing AE           | movements (UTC)                                                  |
 * |--------------|---------|------|----------------------|------------------------------------------------------------------|
 * | Steady       | SMB     | csmA | aeA (deal)           | new 100k 2026-01-15; contraction 10k 2026-06-30 22:00 (= Q3's first instant in Paris) |
 * | ExpandChurn  | SMB     | csmA | aeB (account owner)  | new 50k 2026-03-01; expansion 20k 07-15; churn 70k 09-01          |
 * | NewInQ3      | SMB     | csmA | aeA (deal)           | new 30k 2026-08-01; expansion 5k 09-10 (new business: not in base)|
 * | CrossSell    | MME     | csmB | aeA (first deal)     | new 40k 2025-11-20; renewal 40k 2026-07-05; 2nd subscription (aeB's deal) new 15k 08-20 |
 * | EdgeIn       | -       | -    | -                    | new 25k 2026-06-30 21:30 (23:30 in Paris: before Q3)             |
 * | EdgeOut      | ESB     | csmB | aeB (account owner)  | new 12k 2026-06-30 22:30 (00:30 on 1 July in Paris: inside Q3)   |
 * | LostBefore   | ESB     | csmA | aeA (account owner)  | new 8k 2025-05-01; churn 8k 2026-02-01 (no ARR at the start)      |
 * | DipThenGrow  | ESB     | csmB | aeB (deal)           | new 60k 2025-12-31 23:30 (2026-Q1 in Paris); contraction 20k 07-10; expansion 30k 09-15 |
 */
export async function seedRetentionBook(
  db: Db,
  workspaceId: string,
  people: { aeA: string; aeB: string; csmA: string | null; csmB: string | null },
) {
  const { aeA, aeB, csmA, csmB } = people;
  const { account, subscription } = customerWriter(db, workspaceId);

  const steady = await account('Steady', 'SMB', csmA, null);
  const s1 = await subscription(steady, '2026-01-15', aeA);
  await s1('new', '100000', '2026-01-15T10:00:00Z');
  await s1('contraction', '10000', '2026-06-30T22:00:00Z');

  const expandChurn = await account('ExpandChurn', 'SMB', csmA, aeB);
  const s2 = await subscription(expandChurn, '2026-03-01', null);
  await s2('new', '50000', '2026-03-01T10:00:00Z');
  await s2('expansion', '20000', '2026-07-15T10:00:00Z');
  await s2('churn', '70000', '2026-09-01T10:00:00Z');

  const newInQ3 = await account('NewInQ3', 'SMB', csmA, null);
  const s3 = await subscription(newInQ3, '2026-08-01', aeA);
  await s3('new', '30000', '2026-08-01T10:00:00Z');
  await s3('expansion', '5000', '2026-09-10T10:00:00Z');

  const crossSell = await account('CrossSell', 'MME', csmB, null);
  const s4 = await subscription(crossSell, '2025-11-20', aeA);
  await s4('new', '40000', '2025-11-20T10:00:00Z');
  await s4('renewal', '40000', '2026-07-05T10:00:00Z');
  const s4b = await subscription(crossSell, '2026-08-20', aeB);
  await s4b('new', '15000', '2026-08-20T10:00:00Z');

  const edgeIn = await account('EdgeIn', null, null, null);
  const s5 = await subscription(edgeIn, '2026-06-30', null);
  await s5('new', '25000', '2026-06-30T21:30:00Z');

  const edgeOut = await account('EdgeOut', 'ESB', csmB, aeB);
  const s6 = await subscription(edgeOut, '2026-07-01', null);
  await s6('new', '12000', '2026-06-30T22:30:00Z');

  const lostBefore = await account('LostBefore', 'ESB', csmA, aeA);
  const s7 = await subscription(lostBefore, '2025-05-01', null);
  await s7('new', '8000', '2025-05-01T10:00:00Z');
  await s7('churn', '8000', '2026-02-01T10:00:00Z');

  const dipThenGrow = await account('DipThenGrow', 'ESB', csmB, null);
  const s8 = await subscription(dipThenGrow, '2026-01-01', aeB);
  await s8('new', '60000', '2025-12-31T23:30:00Z');
  await s8('contraction', '20000', '2026-07-10T10:00:00Z');
  await s8('expansion', '30000', '2026-09-15T10:00:00Z');

  return { steady, expandChurn, newInQ3, crossSell, edgeIn, edgeOut, lostBefore, dipThenGrow };
}
