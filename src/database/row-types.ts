import pg from 'pg';

const TIMESTAMPTZ: number = pg.types.builtins.TIMESTAMPTZ;
const parseDate = pg.types.getTypeParser(TIMESTAMPTZ, 'text') as (text: string) => Date | number;

/** `2026-11-22 03:28:37.29+00`: PostgreSQL's ISO output of a timestamptz in a UTC session. */
const UTC_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00$/;

/**
 * A timestamptz as the API writes it (`2026-11-22T03:28:37.290Z`), straight
 * from PostgreSQL's text. The driver's default builds a `Date` that
 * `JSON.stringify` then turns back into that same string; for a page of tasks
 * the round trip was about 5% of a list request's CPU. Other session time
 * zones, years past 9999 and BC dates take the `Date` path. Infinite values
 * stay `infinity` / `-infinity` (the sort key of a task without a due date).
 */
export function isoTimestamp(text: string): string {
  if (UTC_TEXT.test(text)) {
    const fraction = text.length > 22 ? text.slice(20, -3) : '';
    return `${text.slice(0, 10)}T${text.slice(11, 19)}.${fraction.padEnd(3, '0').slice(0, 3)}Z`;
  }
  const parsed = parseDate(text);
  if (typeof parsed === 'number') return parsed > 0 ? 'infinity' : '-infinity';
  return parsed.toISOString();
}

type Parser = (text: string) => unknown;

/** The type parsers of hand-written statements: the driver's, except timestamps (`isoTimestamp`). */
export const ROW_TYPES = {
  getTypeParser: ((oid: number, format: 'text' | 'binary' = 'text'): Parser =>
    oid === TIMESTAMPTZ && format === 'text'
      ? isoTimestamp
      : (pg.types.getTypeParser(oid, format) as Parser)) as typeof pg.types.getTypeParser,
};
