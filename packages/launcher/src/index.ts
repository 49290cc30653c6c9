export {
  up,
  down,
  status,
  LauncherError,
  type UpOptions,
  type ComponentStatus,
} from './launcher.js';
export { killComponent, restartComponent, type RestartOptions } from './control.js';
export {
  components,
  replicaName,
  baseName,
  watchCacheTarget,
  type ExtraArgs,
  type Component,
  type Ports,
} from './components.js';
export {
  NATS_USER,
  natsAuthPaths,
  launcherGrpcCredentials,
  type NatsAuthPaths,
} from './internal-links.js';
export type { LauncherState, ProcessRecord } from './state.js';
export { isAlive } from './processes.js';
export {
  SERVICE_ACCOUNT_ISSUER,
  ensureServiceAccountKeys,
  serviceAccountKeyPaths,
  type ServiceAccountKeyPaths,
} from './service-account-keys.js';
