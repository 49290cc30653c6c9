// Field paths rendered as k8s.io/apimachinery/pkg/util/validation/field.Path renders them:
// "metadata.labels", "spec.containers[0]", "metadata.annotations[example.com/x]".

export const child = (path: string, ...names: string[]): string =>
  [path, ...names].filter((p) => p !== '').join('.');

export const index = (path: string, i: number): string => `${path}[${i}]`;

export const key = (path: string, k: string): string => `${path}[${k}]`;
