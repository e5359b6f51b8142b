// 系统管理 (ADMIN): the payees and the access audit, the occupation catalogue, policy versions (immutable once
// a class is bound to one), the working-day calendar (open deadlines are recomputed: every open class is
// signalled), users, API keys, and the closed classes imported from the predecessor system. One file per area;
// the order here is the order of the OpenAPI document.
import type { Api } from '../../http';
import { institutionAdminRoutes } from './institutions';
import { auditRoutes } from './audit';
import { occupationRoutes } from './occupations';
import { policyRoutes } from './policies';
import { calendarRoutes } from './calendar';
import { userRoutes } from './users';
import { apiKeyRoutes } from './apiKeys';
import { historyRoutes } from './history';

export function adminRoutes(api: Api) {
  institutionAdminRoutes(api);
  auditRoutes(api);
  occupationRoutes(api);
  policyRoutes(api);
  calendarRoutes(api);
  userRoutes(api);
  apiKeyRoutes(api);
  historyRoutes(api);
}
