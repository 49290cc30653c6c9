// A LIST cut into StreamList pieces. The gateway writes each piece to its client as it
// arrives, so no side holds a whole 15 MiB list, and the buffers stay small enough to be
// reused by the allocator instead of being mapped fresh (and page-faulted) for every LIST.
import type { ListResponse } from '@splitplane/proto';
import type { ListPieceSource } from './list-piece.js';

/** Item bytes per piece: large enough that per-message costs vanish, small enough to reuse. */
export const LIST_PIECE_BYTES = 128 * 1024;

/**
 * The pieces of `list`, in order. The first carries the metadata, the warnings and the
 * list's totals; each piece holds whole items, at least one, up to about `maxBytes`.
 */
export function* listPieces(
  list: ListResponse,
  maxBytes = LIST_PIECE_BYTES,
): Generator<ListPieceSource> {
  const totalItems = list.items.length;
  let totalBytes = Math.max(0, totalItems - 1);
  for (const item of list.items) totalBytes += item.length;
  let start = 0;
  let first = true;
  while (first || start < totalItems) {
    let end = start;
    let bytes = 0;
    while (end < totalItems && (end === start || bytes + list.items[end]!.length <= maxBytes))
      bytes += list.items[end++]!.length;
    const items = list.items.slice(start, end);
    yield first
      ? {
          items,
          continues: false,
          itemCount: items.length,
          resourceVersion: list.resourceVersion,
          continue: list.continue,
          remainingItemCount: list.remainingItemCount,
          warnings: list.warnings,
          totalItems: String(totalItems),
          totalItemsJsonBytes: String(totalBytes),
        }
      : { ...LATER_PIECE, items, continues: true, itemCount: items.length };
    first = false;
    start = end;
  }
}

const LATER_PIECE: Omit<ListPieceSource, 'items' | 'itemCount' | 'continues'> = {
  resourceVersion: '',
  continue: '',
  warnings: [],
  totalItems: '0',
  totalItemsJsonBytes: '0',
};
