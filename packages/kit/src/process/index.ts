// Process helpers shared by the launcher and the test harness.
export { findBinary, type FindBinaryOptions } from './find-binary.js';
export { freePort, freePorts } from './free-port.js';
export { MissingBinaryError } from './missing-binary-error.js';
