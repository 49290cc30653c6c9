// kube's default table for kinds without a printer (Role, ClusterRole, LimitRange, ...):
// NAME and CREATED AT, the latter an RFC 3339 date.
import type { Printer } from '../resource-definition.js';
import { CREATION_TIMESTAMP_DESCRIPTION, nameColumn } from './columns.js';
import { parseTime } from './duration.js';
import { obj, str } from './format.js';

export const defaultPrinter: Printer = {
  columns: [
    nameColumn(),
    { name: 'Created At', type: 'date', description: CREATION_TIMESTAMP_DESCRIPTION },
  ],
  row(o) {
    const meta = obj(o.metadata);
    const t = parseTime(meta.creationTimestamp);
    // Go formats the zero time as 0001-01-01T00:00:00Z.
    const created = t ? t.toISOString().replace(/\.\d{3}Z$/, 'Z') : '0001-01-01T00:00:00Z';
    return [str(meta.name), created];
  },
};
