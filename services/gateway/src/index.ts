export { startGateway, type GatewayOptions, type RunningGateway } from './server/gateway.js';
export { createApp, type AppOptions } from './server/app.js';
export { GATEWAY_FLAGS } from './flags.js';
export {
  parseRequestInfo,
  type RequestInfo,
  isLongRunning,
  isReadOnly,
} from './filters/request-info-parser.js';
export { writeStatus, normalizeStatus } from './errors/write-status.js';
export { contextOf, type RequestContext } from './request-context.js';
export { parseGoDuration } from './duration.js';
