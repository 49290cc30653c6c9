export * from './status.js';
export * from './status-error.js';
export * from './field-error.js';
export * from './group-resource.js';
