export {
  up,
  down,
  status,
  LauncherError,
  type UpOptions,
  type ComponentStatus,
} from './launcher.js';
export { components, type Component, type Ports } from './components.js';
export { isAlive } from './processes.js';
