/** CSV files for the import tests. */

/** A deterministic leads file: `n` rows, external ids L-1..L-n, every third owned by `ownerEmail`. */
export function leadsCsv(n: number, opts: { ownerEmail: string; badRow?: number }) {
  const lines = [
    'external_id,email,first_name,last_name,company,domain,employees,expected_arr,country,source_type,channel,owner_email,created_at',
  ];
  const sources = ['seed', 'net', 'spear'];
  const channels = ['website', 'referral', 'linkedin', 'chat'];
  for (let i = 1; i <= n; i++) {
    const email = i === opts.badRow ? 'not-an-email' : `person${i}@company${i % 500}.com`;
    lines.push(
      [
        `L-${i}`,
        email,
        `First${i}`,
        `"Last, ${i}"`,
        `Company ${i % 500}`,
        `company${i % 500}.com`,
        i % 7 === 0 ? '' : String((i * 37) % 2000),
        i % 5 === 0 ? '' : `${(i * 13) % 90000}.${String(i % 100).padStart(2, '0')}`,
        i % 2 ? 'us' : 'DE',
        sources[i % 3],
        channels[i % 4],
        i % 3 === 0 ? opts.ownerEmail : '',
        `2024-01-${String((i % 28) + 1).padStart(2, '0')}T09:00:00Z`,
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
