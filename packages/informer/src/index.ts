export type * from './feed-types.js';
