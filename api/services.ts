// Long-lived helpers shared by the routers of one app.
import type { AppDeps } from './context';
import { SessionStore } from './auth/sessions';
import { ApiKeyStore } from './auth/apiKeys';
import { HotReader } from './hotRead';
import { SimulatedChannel, type MessageChannel } from './messages';

export interface Services {
  sessions: SessionStore;
  apiKeys: ApiKeyStore;
  hot: HotReader;
  /** how the bureau reaches a person: simulated unless an adapter is configured */
  messages: MessageChannel;
}

export function createServices(deps: AppDeps): Services {
  return {
    sessions: new SessionStore(deps.db),
    apiKeys: new ApiKeyStore(deps.db),
    hot: new HotReader(deps.db),
    messages: new SimulatedChannel(deps.db),
  };
}
