import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';

/** Moving a deal to lost needs the reason: win/loss analysis reads it. */
export function LostReasonModal({
  dealName,
  onConfirm,
  onCancel,
}: {
  dealName: string | null;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  return (
    <Modal opened={dealName != null} onClose={onCancel} title="Mark as lost">
      {/* Mounted per opening, so each deal starts with an empty reason. */}
      {dealName != null ? <LostReasonForm dealName={dealName} onConfirm={onConfirm} onCancel={onCancel} /> : null}
    </Modal>
  );
}

function LostReasonForm({
  dealName,
  onConfirm,
  onCancel,
}: {
  dealName: string;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim()) onConfirm(reason.trim());
      }}
    >
      <Stack>
        <Text size="sm">Why was {dealName} lost?</Text>
        <Textarea
          label="Reason"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          maxLength={500}
          autosize
          minRows={2}
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" color="red" disabled={!reason.trim()}>
            Mark lost
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
