import { Select, SimpleGrid, TextInput } from '@mantine/core';
import { CHANNELS, options, SEGMENTS, SOURCE_TYPES } from '../../api/domain';
import type { Lead } from '../../api/types';
import { intOrNull, textOrNull } from '../../components/forms';

export type LeadDraft = {
  company: string;
  firstName: string;
  lastName: string;
  email: string;
  domain: string;
  title: string;
  phone: string;
  employees: string;
  expectedArr: string;
  country: string;
  sourceType: string;
  channel: string;
  segment: string;
  ownerId: string;
};

export const emptyLeadDraft: LeadDraft = {
  company: '',
  firstName: '',
  lastName: '',
  email: '',
  domain: '',
  title: '',
  phone: '',
  employees: '',
  expectedArr: '',
  country: '',
  sourceType: 'net',
  channel: 'website',
  segment: '',
  ownerId: '',
};

export function draftOf(l: Lead): LeadDraft {
  const s = (v: string | number | null) => (v == null ? '' : String(v));
  return {
    company: s(l.company),
    firstName: s(l.firstName),
    lastName: s(l.lastName),
    email: s(l.email),
    domain: s(l.domain),
    title: s(l.title),
    phone: s(l.phone),
    employees: s(l.employees),
    expectedArr: s(l.expectedArr),
    country: s(l.country),
    sourceType: l.sourceType,
    channel: l.channel,
    segment: s(l.segment),
    ownerId: s(l.ownerId),
  };
}

/** The draft as the API takes it: blanks become null, numbers numbers. */
export function leadPayload(d: LeadDraft) {
  return {
    company: textOrNull(d.company),
    firstName: textOrNull(d.firstName),
    lastName: textOrNull(d.lastName),
    email: textOrNull(d.email),
    domain: textOrNull(d.domain),
    title: textOrNull(d.title),
    phone: textOrNull(d.phone),
    employees: intOrNull(d.employees),
    expectedArr: textOrNull(d.expectedArr),
    country: textOrNull(d.country),
    sourceType: d.sourceType,
    channel: d.channel,
    segment: textOrNull(d.segment),
    ownerId: textOrNull(d.ownerId),
  };
}

export function LeadFields({
  draft,
  onChange,
  errors,
  disabled,
  ownerOptions,
  currency,
}: {
  draft: LeadDraft;
  onChange: (patch: Partial<LeadDraft>) => void;
  errors: Record<string, string>;
  disabled?: boolean;
  ownerOptions: { value: string; label: string }[];
  currency: string;
}) {
  const text = (key: keyof LeadDraft, label: string, extra: Record<string, unknown> = {}) => (
    <TextInput
      label={label}
      value={draft[key]}
      onChange={(e) => onChange({ [key]: e.currentTarget.value })}
      error={errors[key]}
      disabled={disabled}
      {...extra}
    />
  );
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
      {text('company', 'Company', { maxLength: 200 })}
      {text('domain', 'Domain', { placeholder: 'acme.com' })}
      {text('firstName', 'First name', { maxLength: 100 })}
      {text('lastName', 'Last name', { maxLength: 100 })}
      {text('email', 'Email', { type: 'email' })}
      {text('title', 'Title', { maxLength: 100 })}
      {text('phone', 'Phone', { maxLength: 40 })}
      {text('country', 'Country', { placeholder: 'FR', maxLength: 2 })}
      {text('employees', 'Employees', { inputMode: 'numeric' })}
      {text('expectedArr', `Expected ARR (${currency})`, { inputMode: 'decimal', placeholder: '12000.00' })}
      <Select
        label="Source type"
        data={options(SOURCE_TYPES)}
        value={draft.sourceType}
        onChange={(v) => onChange({ sourceType: v ?? 'net' })}
        error={errors.sourceType}
        disabled={disabled}
        allowDeselect={false}
      />
      <Select
        label="Channel"
        data={options(CHANNELS)}
        value={draft.channel}
        onChange={(v) => onChange({ channel: v ?? 'website' })}
        error={errors.channel}
        disabled={disabled}
        allowDeselect={false}
      />
      <Select
        label="Segment"
        placeholder="From size (automatic)"
        data={SEGMENTS.map((s) => ({ value: s, label: s }))}
        value={draft.segment || null}
        onChange={(v) => onChange({ segment: v ?? '' })}
        error={errors.segment}
        disabled={disabled}
        clearable
      />
      <Select
        label="Owner"
        placeholder="Unassigned"
        data={ownerOptions}
        value={draft.ownerId || null}
        onChange={(v) => onChange({ ownerId: v ?? '' })}
        error={errors.ownerId}
        disabled={disabled}
        searchable
        clearable
      />
    </SimpleGrid>
  );
}
