// Pods in their own user namespace (hostUsers: false) are relaxed from some controls since v1.34.
import type { PodSpecLike } from '../pod-types.js';

export const inUserNamespace = (spec: PodSpecLike) => spec.hostUsers === false;
export const isWindows = (spec: PodSpecLike) => spec.os?.name === 'windows';
