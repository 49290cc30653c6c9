export * from './names.js';
export * from './name-validators.js';
export * from './field-path.js';
export * from './network.js';
export * from './labels.js';
export * from './object-meta.js';
