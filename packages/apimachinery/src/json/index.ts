export { goJsonSyntaxError } from './go-json-error.js';
export { deepCopyJson } from './deep-copy.js';
