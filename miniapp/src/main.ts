import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { setUnauthorizedHandler } from './api';
import { rememberEntryUrl } from './bridge/entry-url';
import { completePlatformLaunch } from './launch';
import { createAppRouter } from './router';
import { useAuthStore } from './stores/auth';
import './styles.css';

async function start(): Promise<void> {
  const app = createApp(App);
  const pinia = createPinia();
  app.use(pinia);

  // iOS WeCom verifies JS-SDK signatures against the URL the page was entered with: keep it before
  // the launch below removes ?code&state from the address bar.
  rememberEntryUrl(window.location.href);
  // Opened by Feishu / WeCom / DingTalk with ?code=…&state=<platform>: sign in before the
  // router's first navigation, so its guard sees the session (or the pending binding).
  await completePlatformLaunch();

  const router = createAppRouter();
  app.use(router);

  setUnauthorizedHandler(() => {
    useAuthStore(pinia).logout();
    const current = router.currentRoute.value;
    if (current.name !== 'login') {
      void router.replace({ name: 'login', query: { redirect: current.fullPath } });
    }
  });

  await router.isReady();
  app.mount('#app');
}

void start();
