import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { post } from '../../api/client';
import { FormError, QueryState } from '../../components/ErrorState';
import { type RoutingConfig, routingKeys, useRoutingConfig } from './routing.api';
import { webFormSnippet } from './webFormSnippet';

/** Admin > Web form: the workspace's form key, the HTML to paste into a website, and key rotation. */
export function WebFormTab() {
  const config = useRoutingConfig();
  const qc = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const rotate = useMutation({
    mutationFn: () => post<RoutingConfig>('/routing/form-key/rotate'),
    onSuccess: (c) => {
      qc.setQueryData(routingKeys.config, c);
      setConfirming(false);
      notifications.show({ color: 'green', message: 'New form key: update the form on your website' });
    },
  });
  return (
    <QueryState query={config} what="the web form settings">
      {(c) => {
        const key = c.settings.webFormKey ?? '';
        const snippet = webFormSnippet(window.location.origin, key);
        return (
          <Stack maw={900}>
            <Text size="sm" c="dimmed">
              Paste this form into any page of your website. Each submission goes through intake like any lead: dedupe, classification,
              routing (channel: website). Up to 20 posts per minute per visitor address.
            </Text>
            <Group gap="xs">
              <Text size="sm">Form key</Text>
              <Code data-testid="web-form-key">{key}</Code>
            </Group>
            <Group justify="space-between">
              <Title order={5}>HTML snippet</Title>
              <CopyButton value={snippet}>
                {({ copied, copy }) => (
                  <Button size="xs" variant={copied ? 'light' : 'filled'} color={copied ? 'teal' : undefined} onClick={copy}>
                    {copied ? 'Copied' : 'Copy snippet'}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Code block data-testid="web-form-snippet" style={{ whiteSpace: 'pre-wrap' }}>
              {snippet}
            </Code>
            <Alert color="gray" variant="light" title="Rotate the key">
              <Stack gap="xs">
                <Text size="sm">
                  If the key leaks or spam gets through, rotate it. Forms with the old key stop working until you paste the new snippet.
                </Text>
                <Button size="xs" variant="default" w="fit-content" onClick={() => setConfirming(true)}>
                  Rotate key…
                </Button>
              </Stack>
            </Alert>
            <Modal opened={confirming} onClose={() => setConfirming(false)} title="Rotate the form key?">
              <Stack>
                <Text size="sm">The current key stops working at once. Every form on your website needs the new snippet.</Text>
                <FormError error={rotate.error} />
                <Group justify="flex-end">
                  <Button variant="default" onClick={() => setConfirming(false)}>
                    Cancel
                  </Button>
                  <Button color="red" onClick={() => rotate.mutate()} loading={rotate.isPending}>
                    Rotate key
                  </Button>
                </Group>
              </Stack>
            </Modal>
          </Stack>
        );
      }}
    </QueryState>
  );
}
