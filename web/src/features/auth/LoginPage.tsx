import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useMeQuery, useSignIn } from '../../app/session';
import { PageLoader } from '../../components/ErrorState';

/** Only same-site paths are followed after login, never another origin. */
const safeNext = (next: string | null) => (next?.startsWith('/') && !next.startsWith('//') ? next : null);

export function LoginPage() {
  const me = useMeQuery();
  const signIn = useSignIn();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [workspace, setWorkspace] = useState('');
  const [needsWorkspace, setNeedsWorkspace] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  if (me.isPending) return <PageLoader />;
  if (me.data) return <Navigate to={safeNext(params.get('next')) ?? me.data.home} replace />;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      const session = await signIn({ email, password, workspace: needsWorkspace && workspace ? workspace : undefined });
      navigate(safeNext(params.get('next')) ?? session.home, { replace: true });
    } catch (err) {
      if (err instanceof ApiError) {
        const fields = err.fieldErrors();
        if (fields.workspace) setNeedsWorkspace(true);
        setFieldErrors(fields);
        setError(err.message);
      } else setError('Sign-in failed. Try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={380}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <div>
              <Title order={2} c="indigo">
                Revline
              </Title>
              <Text c="dimmed" size="sm">
                Sign in to your workspace
              </Text>
            </div>
            {error ? (
              <Alert color="red" variant="light" role="alert" data-testid="login-error">
                {error}
              </Alert>
            ) : null}
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={fieldErrors.email}
              autoFocus
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={fieldErrors.password}
            />
            {needsWorkspace ? (
              <TextInput
                label="Workspace"
                description={fieldErrors.workspace ?? 'The workspace slug'}
                value={workspace}
                onChange={(e) => setWorkspace(e.currentTarget.value)}
              />
            ) : null}
            <Button type="submit" loading={busy} disabled={!email || !password}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
