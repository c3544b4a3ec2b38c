import { Badge } from '@mantine/core';
import { ratioPct } from './quotas.api';

/** Attainment as a percent: green at or above quota, orange from 80%, red below; grey when nothing was due. */
export function QuotaBadge({ attainment }: { attainment: string | null }) {
  const v = attainment == null ? null : Number(attainment);
  const color = v == null ? 'gray' : v >= 1 ? 'teal' : v >= 0.8 ? 'orange' : 'red';
  return (
    <Badge variant="light" color={color}>
      {ratioPct(attainment)}
    </Badge>
  );
}
