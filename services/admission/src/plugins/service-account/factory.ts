import type { PluginFactory } from '../../chain/plugin-deps.js';
import { hubLister, SERVICE_ACCOUNTS } from '../builtin-support/index.js';
import { DEFAULT_SERVICE_ACCOUNT_NAME, ServiceAccountPlugin } from './plugin.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const serviceAccountFactory: PluginFactory = (deps) => {
  const cache = hubLister(deps.hub, SERVICE_ACCOUNTS);
  return new ServiceAccountPlugin({
    serviceAccounts: {
      async get(namespace, name) {
        const cached = await cache.get(namespace, name);
        if (cached) return cached;
        // A cache miss is read live; "default" is retried, its controller may still be
        // creating it (kube: 10 attempts, 100-200 ms apart).
        const attempts = name === DEFAULT_SERVICE_ACCOUNT_NAME ? 10 : 1;
        const interval = 100 + Math.floor(Math.random() * 100);
        for (let i = 0; i < attempts; i++) {
          if (i > 0) await sleep(interval);
          const live = await deps.hub.get(SERVICE_ACCOUNTS, namespace, name);
          if (live) return live;
        }
        return undefined;
      },
    },
  });
};
