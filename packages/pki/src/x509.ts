// @peculiar/x509 resolves its internals through tsyringe, which needs the Reflect metadata
// API installed before the library loads. ESM evaluates a module's imports in order, so
// routing every use of the library through this file guarantees the polyfill comes first.
import 'reflect-metadata';

export * from '@peculiar/x509';
