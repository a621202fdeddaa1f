import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['tests/**/*.test.ts', 'server/**/*.test.ts', 'shared/**/*.test.ts', 'bot/**/*.test.ts'],
    globalSetup: ['tests/setup/global-setup.ts'],
    // mini-app component tests run on a phone-sized window (≥ 1024 px the lists become tables)
    environmentOptions: { happyDOM: { width: 390, height: 844 } },
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', './tests/setup/summary-reporter.ts'],
  },
});
