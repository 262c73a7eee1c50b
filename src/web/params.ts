/** Route parameters: ids, and "parse the id, load it or 404" in one place. */
import { NotFoundError } from './errors';

/** Ids are positive integers that fit in Postgres' bigint; anything else is simply not found. */
export function parseId(raw: unknown): number | null {
  if (typeof raw !== 'string' || !/^[1-9]\d{0,15}$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * Parses `raw` as an id and loads the row, or throws NotFoundError (a 404 page) when the id is
 * malformed, the row is missing or `accept` refuses it.
 */
export async function loadOr404<T>(
  raw: unknown,
  load: (id: number) => Promise<T | null | undefined>,
  accept: (row: T) => boolean = () => true,
): Promise<T> {
  const id = parseId(raw);
  const row = id === null ? null : await load(id);
  if (row === null || row === undefined || !accept(row)) throw new NotFoundError();
  return row;
}
