import { CsvError, parse } from 'csv-parse/sync';
import { decodeUtf8, textProblemAt } from '../common/request-text';
import { columnName, headerProblems } from './import-format';

/**
 * Reading an uploaded CSV file into rows, before any row is judged: UTF-8 (a BOM is allowed and
 * dropped), comma-separated, CRLF, LF or CR line ends (mixed too), RFC 4180 quoting (a quoted field may hold
 * commas, quotes doubled, and line breaks). Each row keeps the line it starts on, so the report
 * can name it the way a spreadsheet or an editor shows it. A cell is text and stays text: nothing
 * is evaluated (a cell starting with "=", "+", "-" or "@" is stored as written).
 */
export const MAX_ROWS = 5000;
/** The longest row (in bytes): a review's longest texts fit with room to spare. */
export const MAX_ROW_BYTES = 512 * 1024;

export interface CsvRow {
  /** The line of the file the row starts on (1 is the header). */
  line: number;
  cells: Record<string, string>;
  /** A row with a different number of fields from the header: named, never guessed at. */
  fieldCountProblem?: string;
}

export type ReadCsv = { ok: true; header: string[]; rows: CsvRow[] } | { ok: false; problems: string[] };

export function readCsv(bytes: Buffer): ReadCsv {
  const text = decodeUtf8(bytes);
  if (text === undefined) return { ok: false, problems: ['the file is not UTF-8 text: save it as "CSV UTF-8" from your spreadsheet'] };
  const bad = textProblemAt(text);
  if (bad) return { ok: false, problems: [`line ${text.slice(0, bad.index).split(/\r\n|\n|\r/).length}: the file ${bad.problem}`] };
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parse(bytes, { bom: true, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: MAX_ROW_BYTES, to: MAX_ROWS + 2 }) as unknown as typeof records;
  } catch (err) {
    return { ok: false, problems: [csvErrorMessage(err)] };
  }
  if (!records.length) return { ok: false, problems: ['the file is empty: it needs a header row and one row per review'] };
  if (records.length > MAX_ROWS + 1) return { ok: false, problems: [`the file has more than ${MAX_ROWS} reviews: split it into files of at most ${MAX_ROWS} rows`] };
  const lines = lineStarts(bytes);
  const header = records[0].record.map(columnName);
  const problems = headerProblems(header);
  if (problems.length) return { ok: false, problems };
  if (records.length === 1) return { ok: false, problems: ['the file has a header but no reviews'] };
  const rows: CsvRow[] = [];
  for (let i = 1; i < records.length; i++) {
    const { record } = records[i];
    const line = lineOf(bytes, lines, records[i - 1].info.bytes);
    const cells: Record<string, string> = Object.create(null);
    header.forEach((h, c) => (cells[h] = record[c] ?? ''));
    const row: CsvRow = { line, cells };
    if (record.length !== header.length) row.fieldCountProblem = `has ${record.length} field${record.length === 1 ? '' : 's'}, the header has ${header.length}: a comma too many or too few, or a quote not closed`;
    rows.push(row);
  }
  return { ok: true, header, rows };
}

/** csv-parse's refusal as one sentence with its line. */
function csvErrorMessage(err: unknown): string {
  if (!(err instanceof CsvError)) return 'the file could not be read as CSV';
  const line = (err as CsvError & { lines?: number }).lines;
  const at = line ? `line ${line}: ` : '';
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `${at}a quoted field is never closed (a " without its closing ")`;
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
      return `${at}a quote (") inside a field that is not quoted: put the field in quotes and double the quote ("")`;
    case 'CSV_MAX_RECORD_SIZE':
      return `${at}a row is longer than ${MAX_ROW_BYTES / 1024} KB`;
    default:
      return `${at}the file could not be read as CSV`;
  }
}

/** The byte offset where each line starts (a line ends at CRLF, LF or a lone CR). */
function lineStarts(bytes: Buffer): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0a) starts.push(i + 1);
    else if (b === 0x0d && bytes[i + 1] !== 0x0a) starts.push(i + 1);
  }
  return starts;
}

/** The line a record starts on: the first non-blank byte after the previous record's end. */
function lineOf(bytes: Buffer, starts: number[], from: number): number {
  let at = from;
  while (at < bytes.length && (bytes[at] === 0x0a || bytes[at] === 0x0d)) at++;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
