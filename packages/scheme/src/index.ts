export * from './resource-definition.js';
export * from './verbs.js';
export * from './builtins.js';
export * from './scheme.js';
export * from './etcd-key.js';
export * from './printers/index.js';
