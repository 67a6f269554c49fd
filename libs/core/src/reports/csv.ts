import { stringify } from 'csv-stringify/sync';

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined;
}

/**
 * RFC 4180 CSV (quoting by csv-stringify). A cell that a spreadsheet would run as a formula
 * (starting with = + - @, or a tab or carriage return) gets a leading apostrophe (OWASP).
 */
export function toCsv<T>(rows: T[], columns: CsvColumn<T>[]): string {
  const records = rows.map((row) => columns.map((c) => neutralise(c.value(row))));
  return stringify([columns.map((c) => c.header), ...records], { record_delimiter: '\r\n' });
}

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralise(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Numbers are data, not formulas: a negative number stays a number.
  if (typeof value === 'number') return text;
  return FORMULA_START.test(text) ? `'${text}` : text;
}
