import { parse } from 'csv-parse/sync';

/**
 * The CSV has exactly one column per leaf of the JSON rows (named by its dotted path) and each cell
 * is that leaf as text: '' for null, lists joined with "; ", and a leading apostrophe on any text a
 * spreadsheet would run as a formula.
 */
export function expectCsvEqualsJson(csv: string, items: any[]) {
  const records = parse(csv, { columns: true, bom: true }) as Record<string, string>[];
  expect(records).toHaveLength(items.length);
  const [header] = parse(csv, { to_line: 1 }) as string[][];
  // Every leaf any row has (a null object, such as acknowledgedBy before anyone acknowledged, has none).
  const leaves = new Set(items.flatMap((item) => leafPaths(item)));
  for (const h of header) leaves.delete(h.split('.').slice(0, -1).join('.'));
  expect([...header].sort()).toEqual([...leaves].sort());
  const expected = items.map((item) => Object.fromEntries(header.map((h) => [h, asCell(h.split('.').reduce((v: any, k) => v?.[k], item))])));
  expect(records).toEqual(expected);
}

function leafPaths(obj: any, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? leafPaths(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function asCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.join('; ');
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}
