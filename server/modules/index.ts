// Every module's routes, mounted under /api/v1.
import type { ApiRouter } from '../platform/http.ts';
import { authRoutes } from './auth/routes.ts';
import { customerRoutes } from './crm/customers/routes.ts';

export function registerModules(api: ApiRouter): void {
  authRoutes(api);
  customerRoutes(api);
}
