/// <reference types="vite/client" />

// Fallback typing for tools that read .vue imports without vue-tsc (e.g. plain tsc on tests).
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
