import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useState } from 'react';

/**
 * Moving a deal to lost needs the reason: win/loss analysis reads it.
 * The reason lives here, above the Modal, so a re-mount of the modal's content
 * during its opening transition cannot drop what the user already typed; it is
 * cleared whenever a different deal is asked about.
 */
export function LostReasonModal({
  dealName,
  onConfirm,
  onCancel,
}: {
  dealName: string | null;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  useEffect(() => {
    if (dealName != null) setReason('');
  }, [dealName]);
  const trimmed = reason.trim();
  return (
    <Modal opened={dealName != null} onClose={onCancel} title="Mark as lost">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (trimmed) onConfirm(trimmed);
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
            <Button type="submit" color="red" disabled={!trimmed}>
              Mark lost
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
