export { humanDuration, since } from './duration.js';
export { formatLabelSelector, formatLabels } from './format.js';
export { summarizePod, type PodStatusSummary } from './pod.js';
export { defaultPrinter } from './default-printer.js';
export { BUILTIN_PRINTERS, printerFor } from './printer-for.js';
export {
  toTable,
  partialObjectMetadata,
  type IncludeObject,
  type ListMeta,
  type Table,
  type TableColumnDefinition,
  type TableRow,
  type ToTableOptions,
} from './table.js';
