import { Alert, Button, Card, Group, List, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { useAccess } from '../../app/session';
import { FormError } from '../../components/ErrorState';
import { type PlanRow, useNewDraft, usePublish, useSaveDraft } from './comp.api';

/** One plan version as JSON: a draft is edited (the API's field-level errors listed), published, or copied to a new draft. */
export function PlanEditor({ plan }: { plan: PlanRow }) {
  const access = useAccess();
  const [text, setText] = useState(() => JSON.stringify(plan.document, null, 2));
  const [parseError, setParseError] = useState<string | null>(null);
  const [effectiveFrom, setEffectiveFrom] = useState('');
  const save = useSaveDraft();
  const copy = useNewDraft();
  const publish = usePublish();
  const draft = plan.status === 'draft';
  const parsed = () => {
    try {
      setParseError(null);
      return JSON.parse(text) as unknown;
    } catch (e) {
      setParseError(`Not valid JSON: ${(e as Error).message}`);
      return undefined;
    }
  };
  const error = save.error ?? copy.error ?? publish.error;
  const fields = error instanceof ApiError ? Object.entries(error.fieldErrors()) : [];
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={4}>
          {plan.name} · v{plan.version} ({plan.status}
          {plan.effectiveFrom ? ` from ${plan.effectiveFrom}${plan.effectiveTo ? ` to ${plan.effectiveTo}` : ''}` : ''})
        </Title>
        {draft ? (
          <Button component={Link} variant="light" to={`/comp/whatif?planKey=${encodeURIComponent(plan.key)}&version=${plan.version}`}>
            What-if
          </Button>
        ) : null}
      </Group>
      <Stack>
        <Textarea
          label="Plan document (JSON)"
          autosize
          minRows={10}
          maxRows={30}
          readOnly={!draft || !access.canAdmin}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
        />
        {parseError ? <Alert color="red">{parseError}</Alert> : null}
        {fields.length ? (
          <Alert color="red" title="The plan has problems" role="alert">
            <List size="sm">
              {fields.map(([path, message]) => (
                <List.Item key={path}>
                  <Text span ff="monospace" size="sm">
                    {path}
                  </Text>
                  : {message}
                </List.Item>
              ))}
            </List>
          </Alert>
        ) : (
          <FormError error={error} />
        )}
        {access.canAdmin ? (
          <Group align="flex-end">
            {draft ? (
              <>
                <Button
                  loading={save.isPending}
                  onClick={() => {
                    const document = parsed();
                    if (document !== undefined) save.mutate({ key: plan.key, version: plan.version, document });
                  }}
                >
                  Save draft
                </Button>
                <TextInput
                  label="Effective from"
                  placeholder="YYYY-MM-DD"
                  value={effectiveFrom}
                  onChange={(e) => setEffectiveFrom(e.currentTarget.value)}
                />
                <Button
                  variant="filled"
                  color="green"
                  disabled={!effectiveFrom}
                  loading={publish.isPending}
                  onClick={() => publish.mutate({ key: plan.key, version: plan.version, effectiveFrom })}
                >
                  Publish
                </Button>
              </>
            ) : (
              <Button
                variant="light"
                loading={copy.isPending}
                onClick={() => {
                  const document = parsed();
                  if (document !== undefined) copy.mutate(document);
                }}
              >
                New draft from this version
              </Button>
            )}
          </Group>
        ) : null}
        {save.isSuccess ? (
          <Text size="sm" c="green">
            Saved.
          </Text>
        ) : null}
      </Stack>
    </Card>
  );
}
