import { Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, setCsrfToken } from '../../shared/api';
import type { LoginResult } from '../../shared/types';
import { ErrorAlert, LanguageSwitch } from './components';
import { hasStoredLanguage, setLanguage, useT } from './i18n';
import { ME_KEY, queryClient } from './session';

export function LoginForm() {
  const { t } = useT();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  const login = useMutation({
    mutationFn: () => api.post<LoginResult>('/api/v1/auth/login', { username: username.trim(), password }),
    onSuccess: async (res) => {
      setCsrfToken(res.csrfToken);
      // The profile language applies until the user picks one on this device.
      if (!hasStoredLanguage() && res.user.language) setLanguage(res.user.language, false);
      setPassword('');
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!login.isPending && username && password) login.mutate();
  };

  return (
    <Box mih="100dvh" bg="var(--mantine-color-gray-0)">
      <Group justify="space-between" p="md" wrap="nowrap" component="header">
        <Text fw={700} c="blue.9">
          {t('app.name')}
        </Text>
        <LanguageSwitch />
      </Group>
      <Center px="md" py="xl" component="main">
        <Paper withBorder shadow="sm" radius="md" p="lg" w="100%" maw={400}>
          <form onSubmit={submit} noValidate data-testid="login-form">
            <Stack>
              <div>
                <Title order={1} size="h3">
                  {t('login.title')}
                </Title>
                <Text size="sm" c="dimmed">
                  {t('login.subtitle')}
                </Text>
              </div>
              <TextInput
                label={t('login.username')}
                name="username"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                required
                value={username}
                onChange={(e) => setUsername(e.currentTarget.value)}
                data-testid="login-username"
              />
              <PasswordInput
                label={t('login.password')}
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                visibilityToggleButtonProps={{ 'aria-label': t('login.showPassword') }}
                data-testid="login-password"
              />
              <ErrorAlert error={login.error} testId="login-error" />
              <Button type="submit" loading={login.isPending} disabled={!username || !password} data-testid="login-submit">
                {t('login.submit')}
              </Button>
            </Stack>
          </form>
        </Paper>
      </Center>
    </Box>
  );
}
