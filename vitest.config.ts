import vue from '@vitejs/plugin-vue';
import { configDefaults, defineConfig } from 'vitest/config';

/** What both projects share (each inline project is configured on its own, see below). */
const common = {
  pool: 'forks',
  testTimeout: 60_000,
  hookTimeout: 120_000,
} as const;

export default defineConfig({
  test: {
    // Root only, never in a project: the root's global setup runs once per run (one embedded
    // PostgreSQL, one template database) and what it provide()s reaches every project's tests.
    // Hence the projects below do not `extends` the root config (that would copy it into each).
    globalSetup: ['tests/setup/global-setup.ts'],
    reporters: ['default', './tests/setup/summary-reporter.ts'],
    projects: [
      {
        // Server, bot, shared and the browser tests: every file clones its own database and closes
        // its app, browser and servers in afterAll, and no file patches globals, so the files share
        // one worker and its loaded modules (Prisma client, Express, the modules) instead of
        // importing them again in a fresh process per file (about half the run's time).
        test: {
          ...common,
          name: 'server',
          include: ['tests/**/*.test.ts', 'server/**/*.test.ts', 'shared/**/*.test.ts', 'bot/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'tests/miniapp/**'],
          isolate: false,
        },
      },
      {
        // Mini-app component tests stay isolated: Vue/Vant keep singletons (dialogs, toasts) bound to
        // the happy-dom document of the file that created them.
        plugins: [vue()],
        test: {
          ...common,
          name: 'miniapp',
          include: ['tests/miniapp/**/*.test.ts'],
          // a phone-sized window (≥ 1024 px the lists become tables)
          environmentOptions: { happyDOM: { width: 390, height: 844 } },
        },
      },
    ],
  },
});
