// The phone interviewers' console (/interviewer/): the call queue, the record
// being called, the questionnaire read as a script, the outcome of each call.
// A staff app like the console: Mantine, TanStack Query, i18next.
import '@mantine/core/styles.css';
import './interviewer.css';
import { Badge, type CSSVariablesResolver, createTheme, MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initI18n } from './i18n';
import { queryClient } from './session';

initI18n();

// The console's theme: darker shades than Mantine's defaults, so text and buttons reach WCAG AA contrast.
const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 9, dark: 8 },
  defaultRadius: 'md',
  components: {
    // Upper-casing Vietnamese labels makes them harder to read.
    Badge: Badge.extend({ styles: { root: { textTransform: 'none' } } }),
  },
});

// Texts of light variants (alerts, badges, light buttons) and errors dark enough for 4.5:1 on their
// light backgrounds: Mantine's defaults are not, nor is shade 9 of orange, green and teal.
const LIGHT_TEXT: Record<string, string> = { orange: '#b33c0c', green: '#237032', teal: '#066649' };
const LIGHT_COLORS = ['red', 'orange', 'green', 'teal', 'blue', 'violet', 'gray'] as const;
const contrast: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': t.colors.gray[7] as string,
    '--mantine-color-error': t.colors.red[9] as string,
    ...Object.fromEntries(
      LIGHT_COLORS.map((c) => [`--mantine-color-${c}-light-color`, LIGHT_TEXT[c] ?? (t.colors[c][9] as string)]),
    ),
  },
  dark: {},
});

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');
createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={contrast}>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
