export * from './resources.js';
export { hubLister, liveLister, type ObjectLister } from './lister.js';
export { admissionForbidden, isResource } from './errors.js';
export { newestDefault } from './default-class.js';
export { mapLister, testAttributes, type TestRequest } from './testing.js';
