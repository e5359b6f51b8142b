// Long-lived helpers shared by the routers of one app.
import type { AppDeps } from './context';
import { SessionStore } from './auth/sessions';
import { ApiKeyStore } from './auth/apiKeys';
import { HotReader } from './hotRead';

export interface Services {
  sessions: SessionStore;
  apiKeys: ApiKeyStore;
  hot: HotReader;
}

export function createServices(deps: AppDeps): Services {
  return {
    sessions: new SessionStore(deps.db),
    apiKeys: new ApiKeyStore(deps.db),
    hot: new HotReader(deps.db),
  };
}
