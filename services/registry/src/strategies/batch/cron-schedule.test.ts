import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CronScheduleError, parseCronSchedule } from './cron-schedule.js';

test('accepts standard schedules and descriptors', () => {
  for (const s of [
    '*/5 * * * *',
    '0 0 * * 0',
    '15 2 1-15/2 jan-jun MON-FRI',
    '@hourly',
    '@daily',
    '@every 1h30m',
    '0 0 ? * *',
    '59 23 31 12 6',
  ]) {
    assert.doesNotThrow(() => parseCronSchedule(s), s);
  }
});

test('rejects bad schedules with robfig/cron messages', () => {
  const table: Array<[string, string]> = [
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['* * * * * *', 'expected exactly 5 fields, found 6: [* * * * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['', 'empty spec string'],
  ];
  for (const [s, msg] of table)
    assert.throws(() => parseCronSchedule(s), new CronScheduleError(msg), s);
});
