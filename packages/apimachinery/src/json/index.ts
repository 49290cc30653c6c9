export { goJsonSyntaxError } from './go-json-error.js';
