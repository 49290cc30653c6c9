// Per-kind registry strategies: defaulting, prepare and validation hooks for every
// built-in resource, and a generic fallback.
export type { Strategy, StrategyFactory } from './strategy.js';
export { strategyFor, hasSpecificStrategy } from './registry.js';
export { genericStrategy } from './generic.js';
export { CronScheduleError, parseCronSchedule } from './batch/cron-schedule.js';
