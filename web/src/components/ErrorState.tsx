import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { ApiError } from '../api/client';

/** What went wrong, in words: a refusal is "not allowed", a missing record "not found", the rest the API's message. */
export function ErrorState({ error, what = 'this page' }: { error: unknown; what?: string }) {
  if (error instanceof ApiError && error.status === 403)
    return (
      <Alert color="orange" title="Not allowed" data-testid="not-allowed">
        <Stack gap="xs">
          <Text size="sm">You are not allowed to see {what}: it belongs to someone outside your scope.</Text>
          <Text size="xs" c="dimmed">
            {error.message}
          </Text>
          <Button component={Link} to="/" variant="light" size="xs" w="fit-content">
            Back to my home
          </Button>
        </Stack>
      </Alert>
    );
  if (error instanceof ApiError && error.status === 404)
    return (
      <Alert color="gray" title="Not found">
        <Text size="sm">We could not find {what}. It may have been removed, or the link is wrong.</Text>
      </Alert>
    );
  const message = error instanceof Error ? error.message : 'Something went wrong';
  return (
    <Alert color="red" title="Something went wrong">
      <Text size="sm">{message}</Text>
    </Alert>
  );
}

export function PageLoader() {
  return (
    <Center h={200}>
      <Loader />
    </Center>
  );
}

/** Loading, error or the content: the three states every screen has. */
export function QueryState<T>({
  query,
  what,
  children,
}: {
  query: { isPending: boolean; error: unknown; data: T | undefined };
  what?: string;
  children: (data: T) => React.ReactNode;
}) {
  if (query.error) return <ErrorState error={query.error} what={what} />;
  if (query.isPending || query.data === undefined) return <PageLoader />;
  return <>{children(query.data)}</>;
}

/** A short alert under a form for an error that is not about one field. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Alert color="red" variant="light" p="xs" role="alert">
      <Text size="sm">{message}</Text>
    </Alert>
  );
}
