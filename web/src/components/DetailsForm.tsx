import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { FormError } from './ErrorState';

/**
 * The "Details" card of a record page: the fields, the API's message when no field is named,
 * and Save (plus Discard when given) for those who may edit, or a note for those who may not.
 */
export function DetailsForm(props: {
  onSave: () => void;
  canEdit: boolean;
  dirty: boolean;
  saving: boolean;
  fieldErrors: Record<string, string>;
  message: string | null;
  onDiscard?: () => void;
  readOnlyNote?: string;
  children: ReactNode;
}) {
  return (
    <Card withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          props.onSave();
        }}
        noValidate
      >
        <Stack>
          <Title order={5}>Details</Title>
          {props.children}
          <FormError error={Object.keys(props.fieldErrors).length ? null : props.message} />
          {props.canEdit ? (
            <Group justify="flex-end">
              {props.onDiscard ? (
                <Button variant="default" disabled={!props.dirty} onClick={props.onDiscard}>
                  Discard
                </Button>
              ) : null}
              <Button type="submit" disabled={!props.dirty} loading={props.saving}>
                Save
              </Button>
            </Group>
          ) : props.readOnlyNote ? (
            <Text size="xs" c="dimmed">
              {props.readOnlyNote}
            </Text>
          ) : null}
        </Stack>
      </form>
    </Card>
  );
}
