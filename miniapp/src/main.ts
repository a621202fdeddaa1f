import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { setUnauthorizedHandler } from './api';
import { createAppRouter } from './router';
import { useAuthStore } from './stores/auth';
import { vantPlugin } from './vant';
import './vant-styles';
import './styles.css';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
const router = createAppRouter();
app.use(router);
app.use(vantPlugin);

setUnauthorizedHandler(() => {
  useAuthStore(pinia).logout();
  const current = router.currentRoute.value;
  if (current.name !== 'login') {
    void router.replace({ name: 'login', query: { redirect: current.fullPath } });
  }
});

void router.isReady().then(() => app.mount('#app'));
