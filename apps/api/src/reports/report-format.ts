import type { Request, Response } from 'express';
import { CsvColumn, toCsv } from '@sne/core';

export type ReportFormat = 'json' | 'csv';
export const REPORT_FORMATS: ReportFormat[] = ['json', 'csv'];

/** `?format=` wins; otherwise CSV when the client asks for `text/csv` in Accept. */
export function wantsCsv(req: Request, format?: ReportFormat): boolean {
  if (format) return format === 'csv';
  const accept = req.headers.accept;
  return typeof accept === 'string' && /(^|,)\s*text\/csv\s*(;|,|$)/i.test(accept);
}

/**
 * A report's JSON, or its rows as CSV. The CSV has one column per leaf of a row, named by its
 * dotted path in the JSON (`agency.name`), so parsing the CSV back gives the JSON rows: numbers,
 * booleans and ISO times as text, null as an empty cell, lists joined with "; ", and cells a
 * spreadsheet would run as a formula prefixed with an apostrophe (toCsv).
 */
export function sendReport<T>(req: Request, res: Response, format: ReportFormat | undefined, report: { items: T[] }, csv: { paths: string[]; filename: string }) {
  res.vary('Accept');
  if (!wantsCsv(req, format)) return report;
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${csv.filename.replace(/[^A-Za-z0-9._-]/g, '_')}.csv"`);
  return toCsv(report.items, csvColumns<T>(csv.paths));
}

export function csvColumns<T>(paths: string[]): CsvColumn<T>[] {
  return paths.map((path) => ({ header: path, value: (row: T) => cell(valueAt(row, path)) }));
}

export function valueAt(row: unknown, path: string): unknown {
  let v: unknown = row;
  for (const key of path.split('.')) {
    if (v === null || v === undefined) return null;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

export const LIST_SEPARATOR = '; ';

function cell(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(String).join(LIST_SEPARATOR);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}

const localFormats = new Map<string, Intl.DateTimeFormat>();

/** "Dec 1, 2026, 9:00 AM EST": a time as the agency reads it, in its own time zone. */
export function localTime(at: Date | null | undefined, timeZone: string): string | null {
  if (!at) return null;
  let f = localFormats.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        month: 'short',
        day: 'numeric',
        year: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZoneName: 'short',
      });
    } catch {
      // A zone the runtime does not know (agencies are validated with IsTimeZone, so only old rows): say UTC.
      return localTime(at, 'UTC');
    }
    localFormats.set(timeZone, f);
  }
  // Some ICU versions put a narrow no-break space before AM/PM; spreadsheets and tests want a plain one.
  return f.format(at).replace(/[\u202f\u00a0]/g, ' ');
}

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** float8 seconds from SQL, kept to the millisecond. */
export const seconds = (v: number | string | null | undefined): number | null =>
  v === null || v === undefined ? null : Math.round(Number(v) * 1000) / 1000;
