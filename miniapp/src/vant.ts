// The Vant components the app uses, registered globally (tree-shaken).
// Their CSS lives in vant-styles.ts so tests can register the components without CSS.
import type { App, Plugin } from 'vue';
import {
  Button,
  Cell,
  CellGroup,
  Dialog,
  Empty,
  Field,
  Form,
  Grid,
  GridItem,
  Icon,
  List,
  Loading,
  NavBar,
  NoticeBar,
  PullRefresh,
  Search,
  Skeleton,
  Step,
  Steps,
  Switch,
  Tab,
  Tabbar,
  TabbarItem,
  Tabs,
  Tag,
  Toast,
} from 'vant';

const components: Plugin[] = [
  Button,
  Cell,
  CellGroup,
  Dialog,
  Empty,
  Field,
  Form,
  Grid,
  GridItem,
  Icon,
  List,
  Loading,
  NavBar,
  NoticeBar,
  PullRefresh,
  Search,
  Skeleton,
  Step,
  Steps,
  Switch,
  Tab,
  Tabbar,
  TabbarItem,
  Tabs,
  Tag,
  Toast,
];

export const vantPlugin: Plugin = {
  install(app: App) {
    for (const component of components) app.use(component);
  },
};
