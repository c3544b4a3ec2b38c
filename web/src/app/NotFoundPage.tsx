import { Alert, Button, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';

export default function NotFoundPage() {
  return (
    <Alert color="gray" title="Page not found">
      <Stack gap="xs">
        <Text size="sm">There is no page at this address.</Text>
        <Button component={Link} to="/" variant="light" size="xs" w="fit-content">
          Back to my home
        </Button>
      </Stack>
    </Alert>
  );
}
