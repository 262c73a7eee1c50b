/**
 * Scheduled publishing: a published article whose publish time has not come yet is scheduled. It
 * is shown to nobody but its writer until then (every reader-facing query asks
 * `published_at <= now()`, see VISIBLE_SQL), and appears by itself at that time.
 */
import type { Article } from './article-rows';

/** The condition every list readers see puts on `articles as a`. */
export const VISIBLE_SQL = "a.status = 'published' AND a.published_at <= now()";

/** Whether readers may see the article now (a scheduled one is not out yet). */
export const isOut = (a: Pick<Article, 'status' | 'publishedAt'>, now = new Date()): boolean =>
  a.status === 'published' && a.publishedAt.getTime() <= now.getTime();

export const isScheduled = (a: Pick<Article, 'status' | 'publishedAt'>, now = new Date()): boolean =>
  a.status === 'published' && a.publishedAt.getTime() > now.getTime();

/** How far ahead a writer may schedule. */
export const MAX_SCHEDULE_DAYS = 366;

const pad = (n: number) => String(n).padStart(2, '0');

/** "29 Nov 2026, 18:00 UTC": how a publish time is written on the writer's pages. */
export function scheduleText(d: Date): string {
  const month = d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' });
  return `${d.getUTCDate()} ${month} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** A time as a datetime-local field's value, in UTC (the field's help says so; the editor's script converts it to local time). */
export const inputValue = (d: Date): string =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;

export interface PublishAtInput {
  /** The field as typed, shown back when something is wrong. */
  text: string;
  /** The moment it names, or null when the field is empty (publish now). */
  at: Date | null;
  error: string | null;
}

/**
 * The write form's `publishAt` (a datetime-local value, "2026-12-01T09:30") in the writer's time
 * zone, given by `tzOffset` (minutes as the browser's getTimezoneOffset says: UTC minus local; the
 * editor's script fills it, and without it the time is UTC). It must be in the future, at most
 * MAX_SCHEDULE_DAYS ahead.
 */
export function readPublishAt(body: unknown, now: Date): PublishAtInput {
  const fields = (body ?? {}) as Record<string, unknown>;
  const text = typeof fields.publishAt === 'string' ? fields.publishAt.trim() : '';
  if (!text) return { text, at: null, error: null };
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d{1,3})?)?$/.exec(text);
  const offsetText = typeof fields.tzOffset === 'string' ? fields.tzOffset.trim() : '';
  const offset = /^-?\d{1,4}$/.test(offsetText) && Math.abs(Number(offsetText)) <= 14 * 60 ? Number(offsetText) : 0;
  const bad = 'Give the publish time as a date and a time, e.g. 2026-12-01 09:30.';
  if (!m) return { text, at: null, error: bad };
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  const utc = Date.UTC(y, mo - 1, d, h, mi) + offset * 60_000;
  const check = new Date(Date.UTC(y, mo - 1, d, h, mi));
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return { text, at: null, error: bad };
  if (utc <= now.getTime() + 60_000)
    return { text, at: null, error: 'The publish time has to be in the future. Leave it empty to publish now.' };
  if (utc > now.getTime() + MAX_SCHEDULE_DAYS * 86_400_000)
    return { text, at: null, error: `The publish time can be at most ${MAX_SCHEDULE_DAYS} days ahead.` };
  return { text, at: new Date(utc), error: null };
}
