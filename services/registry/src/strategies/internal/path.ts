// Field paths as k8s.io/apimachinery's field.Path prints them (`spec.containers[0].name`,
// `data[key]`); the shared helpers, re-exported so strategies import one place.
export { child, index, key } from '@splitplane/apimachinery';
