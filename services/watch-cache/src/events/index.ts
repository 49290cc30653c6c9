export { toWatchEvent, progressEvent } from './watch-event.js';
export { serveEvents, DEFAULT_EVENTS_WAIT_MS } from './serve-events.js';
