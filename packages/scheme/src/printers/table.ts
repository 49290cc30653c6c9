// Builds a meta.k8s.io/v1 Table (the as=Table response) from a printer and objects.
import type { KubeObject, Printer } from '../resource-definition.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
  selfLink?: string;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ListMeta;
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

export interface ToTableOptions {
  /** Defaults to Metadata (PartialObjectMetadata), as kube does. */
  includeObject?: IncludeObject;
  now?: Date;
  listMeta?: ListMeta;
  /** TableOptions.noHeaders: omit column definitions (watch events after the first). */
  noHeaders?: boolean;
}

export function toTable(
  printer: Printer,
  objects: readonly KubeObject[],
  options: ToTableOptions = {},
): Table {
  const now = options.now ?? new Date();
  const include = options.includeObject ?? 'Metadata';
  const metadata: ListMeta = {};
  for (const [k, v] of Object.entries(options.listMeta ?? {})) {
    if (v !== undefined && v !== '') (metadata as Record<string, unknown>)[k] = v;
  }
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: options.noHeaders
      ? []
      : printer.columns.map((c) => ({
          name: c.name,
          type: c.type,
          format: c.format ?? '',
          description: c.description ?? '',
          priority: c.priority ?? 0,
        })),
    rows: objects.map((o) => ({ cells: printer.row(o, now), object: rowObject(o, include) })),
  };
}

function rowObject(o: KubeObject, include: IncludeObject): unknown {
  switch (include) {
    case 'None':
      return null;
    case 'Object':
      return o;
    default:
      return partialObjectMetadata(o);
  }
}

export function partialObjectMetadata(o: KubeObject): KubeObject {
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: o.metadata ?? {},
  };
}
