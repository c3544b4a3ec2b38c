import { Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useAccess } from '../../app/session';
import { FormError, QueryState } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { useAddComment, useComments } from './comp.api';

/** The town hall on a draft: everyone asks, sales ops answer under each question. Text only (React escapes it). */
export function DiscussionPanel({ planKey, version }: { planKey: string; version: number }) {
  const f = useFormat();
  const access = useAccess();
  const comments = useComments(planKey, version);
  const add = useAddComment(planKey, version);
  const [body, setBody] = useState('');
  const [answers, setAnswers] = useState<Record<string, string>>({});
  return (
    <Card withBorder>
      <Title order={4} mb="xs">
        Discussion of {planKey} v{version}
      </Title>
      <QueryState query={comments} what="the discussion">
        {(d) => (
          <Stack gap="sm">
            {d.items
              .filter((c) => !c.replyTo)
              .map((c) => (
                <Card key={c.id} withBorder p="sm" aria-label={`Comment by ${c.authorName ?? 'someone'}`}>
                  <Text size="xs" c="dimmed">
                    {c.authorName ?? 'someone'} · {f.dateTime(c.createdAt)}
                  </Text>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {c.body}
                  </Text>
                  {d.items
                    .filter((r) => r.replyTo === c.id)
                    .map((r) => (
                      <Card key={r.id} ml="lg" mt="xs" p="xs" bg="var(--mantine-color-blue-light)">
                        <Text size="xs" c="dimmed">
                          Answer from {r.authorName ?? 'sales ops'} · {f.dateTime(r.createdAt)}
                        </Text>
                        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                          {r.body}
                        </Text>
                      </Card>
                    ))}
                  {access.canAdmin && d.status === 'draft' ? (
                    <Group mt="xs" align="flex-end">
                      <Textarea
                        aria-label="Answer"
                        placeholder="Answer"
                        autosize
                        style={{ flex: 1 }}
                        value={answers[c.id] ?? ''}
                        onChange={(e) => setAnswers({ ...answers, [c.id]: e.currentTarget.value })}
                      />
                      <Button
                        size="xs"
                        disabled={!answers[c.id]?.trim()}
                        onClick={() =>
                          add.mutate({ body: answers[c.id], replyTo: c.id }, { onSuccess: () => setAnswers({ ...answers, [c.id]: '' }) })
                        }
                      >
                        Answer
                      </Button>
                    </Group>
                  ) : null}
                </Card>
              ))}
            {!d.items.length ? <Text c="dimmed">No comments yet.</Text> : null}
            {d.status === 'draft' ? (
              <Group align="flex-end">
                <Textarea
                  label="Your comment"
                  autosize
                  minRows={2}
                  style={{ flex: 1 }}
                  value={body}
                  onChange={(e) => setBody(e.currentTarget.value)}
                />
                <Button
                  disabled={!body.trim()}
                  loading={add.isPending}
                  onClick={() => add.mutate({ body }, { onSuccess: () => setBody('') })}
                >
                  Comment
                </Button>
              </Group>
            ) : (
              <Text size="sm" c="dimmed">
                This version is published: the discussion is closed.
              </Text>
            )}
            <FormError error={add.error} />
          </Stack>
        )}
      </QueryState>
    </Card>
  );
}
