import { Badge, Group } from '@mantine/core';
import { label, STATUS_COLORS } from '../api/domain';

export function StatusBadge({ value }: { value: string | null | undefined }) {
  if (!value) return null;
  return (
    <Badge variant="light" color={STATUS_COLORS[value] ?? 'indigo'}>
      {label(value)}
    </Badge>
  );
}

export function RoleBadges({ roles }: { roles: string[] }) {
  return (
    <Group gap={4}>
      {roles.map((r) => (
        <Badge key={r} variant="outline" size="sm">
          {label(r)}
        </Badge>
      ))}
    </Group>
  );
}

/**
 * The same look as StatusBadge from a plain span: for rows of long virtual lists, where a
 * thousand Mantine components mounting while scrolling would cost frames.
 */
export function LightBadge({ value }: { value: string | null | undefined }) {
  if (!value) return null;
  const c = STATUS_COLORS[value] ?? 'indigo';
  return (
    <span className="rl-badge" style={{ background: `var(--mantine-color-${c}-light)`, color: `var(--mantine-color-${c}-light-color)` }}>
      {label(value)}
    </span>
  );
}
