import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { CurrentUser as User } from '../../../shared/schemas/auth';

export const TOKEN_KEY = 'yunqiao.m.token';
export const USER_KEY = 'yunqiao.m.user';

// Some in-app WebViews throw on localStorage access (private mode, storage disabled).
function readStorage(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    /* the session then lives in memory only */
  }
}

function readUser(): User | null {
  const raw = readStorage(USER_KEY);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as User | null;
    return parsed && typeof parsed === 'object' && typeof parsed.id === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

export const useAuthStore = defineStore('auth', () => {
  const token = ref<string | null>(readStorage(TOKEN_KEY));
  const user = ref<User | null>(token.value ? readUser() : null);

  const isLoggedIn = computed(() => !!token.value);

  function setSession(newToken: string, newUser: User): void {
    token.value = newToken;
    user.value = newUser;
    writeStorage(TOKEN_KEY, newToken);
    writeStorage(USER_KEY, JSON.stringify(newUser));
  }

  function logout(): void {
    token.value = null;
    user.value = null;
    writeStorage(TOKEN_KEY, null);
    writeStorage(USER_KEY, null);
  }

  function hasPermission(permission: string): boolean {
    // admin / boss roles hold '*'
    const granted = user.value?.permissions ?? [];
    return granted.includes('*') || granted.includes(permission);
  }

  return { token, user, isLoggedIn, setSession, logout, hasPermission };
});
