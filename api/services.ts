// Long-lived helpers shared by the routers of one app.
import type { AppDeps } from './context';
import { SessionStore } from './auth/sessions';
import { ApiKeyStore } from './auth/apiKeys';

export interface Services {
  sessions: SessionStore;
  apiKeys: ApiKeyStore;
}

export function createServices(deps: AppDeps): Services {
  return { sessions: new SessionStore(deps.db), apiKeys: new ApiKeyStore(deps.db) };
}
