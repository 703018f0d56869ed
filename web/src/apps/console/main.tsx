import '@mantine/core/styles.css';
import '../../shared/i18n';
import { Badge, type CSSVariablesResolver, createTheme, MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { queryClient } from './session';

// Darker shades than Mantine's defaults: text and buttons reach WCAG AA contrast (4.5:1).
const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 9, dark: 8 },
  defaultRadius: 'md',
  components: {
    // Upper-casing Vietnamese labels makes them harder to read.
    Badge: Badge.extend({ styles: { root: { textTransform: 'none' } } }),
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');

const contrast: CSSVariablesResolver = (t) => ({
  variables: {},
  light: { '--mantine-color-dimmed': t.colors.gray[7] as string },
  dark: {},
});

createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={contrast}>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
