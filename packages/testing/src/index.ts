export {
  freePort,
  freePorts,
  findBinary,
  type FindBinaryOptions,
  MissingBinaryError,
} from '@splitplane/kit';
export { waitFor, type WaitForOptions } from './wait-for.js';
export {
  spawnManaged,
  type ManagedProcess,
  type SpawnManagedOptions,
  type StopOptions,
  type ExitStatus,
} from './managed-process.js';
export { liveChildren } from './child-registry.js';
export { readLogTail, STARTUP_LOG_LINES } from './log-tail.js';
export { makeTempDir, removeTempDir } from './temp-dir.js';
export { httpGet, type HttpProbeResult } from './http-probe.js';
export { startEtcd, type EtcdHandle, type StartEtcdOptions } from './etcd.js';
export { startNats, type NatsHandle, type StartNatsOptions } from './nats.js';
export { kubectl, type KubectlOptions, type KubectlResult } from './kubectl.js';
export { TestingError, StartupError, WaitTimeoutError } from './errors.js';
