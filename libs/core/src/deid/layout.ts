/**
 * Where a value sits in the layout of a field, so a label can introduce a value that is not right
 * after it: a Markdown table cell under its column header and beside its row label
 * ("| Babysitter (neighbor) | (555)5550124 |" under "| Who | Number |"), or a line of a list under
 * a lead-in line ("Enrollment numbers as recorded:" then "Mother ........ 0617/44"). Lines are
 * indexed once; each question looks at a bounded number of lines, so the scan stays linear.
 */

export interface Placement {
  /** The column header of a table cell, or the lead-in line above a list line ('' when none). */
  header: string;
  /** The row's label: the table row's first cell, or the list line's text before the value. */
  rowLabel: string;
}

/** A CSV header's cell: a short label of letters ("recall_no", "Name", "SOC"). */
const CSV_LABEL_RE = /^[A-Za-z][A-Za-z _#./-]{0,23}$/;
/** How far above a list line its lead-in may be. */
const MAX_LEAD_IN_LINES = 12;
const MAX_LINE = 400;

/** Index of the last of the sorted `starts` at or before `pos` (binary search; 0 if none). */
export function lastStartAtOrBefore(starts: readonly number[], pos: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export class Layout {
  private readonly lineStarts: number[] = [0];
  /** Memos, so each line's header is found once: the first line of its table; its lead-in line (-1 for none). */
  private readonly tableTop = new Map<number, number>();
  private readonly leadIn = new Map<number, number>();

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  /** Index of the line holding offset `pos`. */
  lineIndex(pos: number): number {
    return lastStartAtOrBefore(this.lineStarts, pos);
  }

  line(k: number): string {
    const s = this.lineStarts[k];
    const e = k + 1 < this.lineStarts.length ? this.lineStarts[k + 1] - 1 : this.text.length;
    return this.text.slice(s, Math.min(e, s + MAX_LINE));
  }

  /** The header and row label that place the value at `pos`, if it is in a table or under a lead-in. */
  placementOf(pos: number): Placement | undefined {
    const k = this.lineIndex(pos);
    const line = this.line(k);
    const col = pos - this.lineStarts[k];
    if (/^\s*\|/.test(line)) return this.tableCell(k, line, col);
    return this.csvCell(k, line, col) ?? this.listLine(k, line, col);
  }

  /**
   * Round twenty-three: a row of comma-separated values under a header row of short labels with as
   * many commas ("product,model,lot,action" then "play yard,PY-300,all,stop use"); the header is
   * looked for within a few lines above, across rows with the same number of cells.
   */
  private csvCell(k: number, line: string, col: number): Placement | undefined {
    const cells = line.split(',');
    if (cells.length < 3) return undefined;
    for (let j = k - 1, n = 0; j >= 0 && n < MAX_LEAD_IN_LINES; j--, n++) {
      const above = this.line(j).split(',');
      if (above.length !== cells.length) return undefined;
      if (above.every((c) => CSV_LABEL_RE.test(c.trim()))) {
        const index = (line.slice(0, col).match(/,/g) ?? []).length;
        return { header: above[index].trim().replace(/_/g, ' '), rowLabel: index === 0 ? '' : cells[0].trim() };
      }
    }
    return undefined;
  }

  private tableCell(k: number, line: string, col: number): Placement | undefined {
    const cellIndex = (line.slice(0, col).match(/\|/g) ?? []).length - 1;
    const rowLabel = line.split('|')[1]?.trim() ?? '';
    const h = this.tableTopOf(k);
    if (h === k) return { header: '', rowLabel };
    const header = this.line(h).split('|')[cellIndex + 1]?.trim() ?? '';
    return { header, rowLabel: cellIndex === 0 ? '' : rowLabel };
  }

  private listLine(k: number, line: string, col: number): Placement | undefined {
    // A list line: a bullet, a number, indentation, or "Label ....." / "Label:" before the value.
    if (!/^(?:\s{2,}|\s*(?:[-*•+]|\d{1,2}[.)])\s|\s*[\p{L}][\p{L}\p{M}'’ ()/.-]{0,40}?(?:\s?\.{3,}\s?|:\s|\s[—–-]\s))/u.test(line)) return undefined;
    const rowLabel = line.slice(0, col);
    const j = this.leadInOf(k);
    return { header: j >= 0 ? this.line(j).trim() : '', rowLabel };
  }

  /** The first line of the table that line k belongs to (iterative, memoised: linear over a field). */
  private tableTopOf(k: number): number {
    const path: number[] = [];
    let j = k;
    let top = this.tableTop.get(j);
    while (top === undefined) {
      path.push(j);
      if (j > 0 && /^\s*\|/.test(this.line(j - 1))) {
        j--;
        top = this.tableTop.get(j);
      } else top = j;
    }
    for (const p of path) this.tableTop.set(p, top);
    return top;
  }

  /** The lead-in line above line k (a line ending in ':' or a heading), within a few lines; -1 if none. */
  private leadInOf(k: number): number {
    let found = this.leadIn.get(k);
    if (found !== undefined) return found;
    found = -1;
    for (let j = k - 1, n = 0; j >= 0 && n < MAX_LEAD_IN_LINES; j--, n++) {
      const prev = this.line(j).trim();
      if (!prev) continue;
      if (/:\s*[*_]{0,2}$/.test(prev) || /^#{1,6}\s/.test(prev)) {
        found = j;
        break;
      }
      const memo = this.leadIn.get(j);
      if (memo !== undefined) {
        found = memo;
        break;
      }
    }
    this.leadIn.set(k, found);
    return found;
  }
}
