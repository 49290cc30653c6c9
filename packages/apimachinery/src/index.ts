export * from './errors/index.js';
export * from './validation/index.js';
export * from './labels/index.js';
export * from './fields/index.js';
export * from './patch/index.js';
export * from './json/index.js';
export * from './filter/index.js';
export * from './quantity.js';
