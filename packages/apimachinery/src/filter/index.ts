export * from './object-filter.js';
