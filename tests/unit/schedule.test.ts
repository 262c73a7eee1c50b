import { inputValue, isOut, isScheduled, readPublishAt, scheduleText } from '../../src/articles/schedule';

const now = new Date(Date.UTC(2026, 10, 29, 18, 0));

test('a publish time is read in the writer time zone, and must be in the future, within a year', () => {
  expect(readPublishAt({ publishAt: '2026-11-30T09:30', tzOffset: '0' }, now).at).toEqual(new Date(Date.UTC(2026, 10, 30, 9, 30)));
  // UTC+1: the browser says -60; 09:30 there is 08:30 UTC.
  expect(readPublishAt({ publishAt: '2026-11-30T09:30', tzOffset: '-60' }, now).at).toEqual(new Date(Date.UTC(2026, 10, 30, 8, 30)));
  // No offset (no JavaScript), or a nonsense one: UTC.
  expect(readPublishAt({ publishAt: '2026-11-30T09:30', tzOffset: 'x' }, now).at).toEqual(new Date(Date.UTC(2026, 10, 30, 9, 30)));
  expect(readPublishAt({ publishAt: '' }, now)).toEqual({ text: '', at: null, error: null });
  expect(readPublishAt({ publishAt: '2026-02-30T09:30' }, now).error).toMatch(/^Give the publish time/);
  expect(readPublishAt({ publishAt: '2026-11-30T24:30' }, now).error).toMatch(/^Give the publish time/);
  expect(readPublishAt({ publishAt: '2026-11-29T18:00' }, now).error).toMatch(/in the future/);
  expect(readPublishAt({ publishAt: '2027-12-01T00:00' }, now).error).toMatch(/at most 366 days/);
});

test('scheduled until its time, out from then on; times written for the writer', () => {
  const a = { status: 'published' as const, publishedAt: new Date(now.getTime() + 1) };
  expect([isScheduled(a, now), isOut(a, now)]).toEqual([true, false]);
  expect([isScheduled(a, new Date(now.getTime() + 1)), isOut(a, new Date(now.getTime() + 1))]).toEqual([false, true]);
  expect(isOut({ status: 'draft', publishedAt: now }, now)).toBe(false);
  expect(scheduleText(now)).toBe('29 Nov 2026, 18:00 UTC');
  expect(inputValue(now)).toBe('2026-11-29T18:00');
});
