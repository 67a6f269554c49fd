/**
 * Builders over the suppression engine for tables with margins. Publish every view of a
 * dashboard from ONE cube (all its marginal sums in one call): tables suppressed separately can
 * give each other's suppressed cells back.
 */
import { AdditiveEquation, SuppressionCell, SuppressionInputError, SuppressionResult, suppress } from './suppression';

export interface PublishedValue {
  /** null: suppressed. */
  value: number | null;
  /** Suppressed because it is small itself (rather than as a complement). */
  primary: boolean;
}

export interface PublishedTable {
  rowKeys: string[];
  colKeys: string[];
  /** values[r][c], null where suppressed; primary[r][c] marks the primary-suppressed ones. */
  values: Array<Array<number | null>>;
  primary: boolean[][];
  rowTotals?: PublishedValue[];
  colTotals?: PublishedValue[];
  grandTotal?: PublishedValue;
}

export interface CrossTableOptions {
  k: number;
  rowTotals?: boolean;
  colTotals?: boolean;
  grandTotal?: boolean;
}

/** The id of a cube cell: its keys in dimension order, null for a dimension summed over. */
export function cellId(keys: ReadonlyArray<string | null>): string {
  return JSON.stringify(keys);
}

function distinct(name: string, keys: readonly string[]): string[] {
  if (new Set(keys).size !== keys.length) throw new SuppressionInputError(`${name} keys must be distinct`);
  return [...keys];
}

/** A 2-D table with the margins asked for, suppressed as one system. */
export function crossTable(
  rowKeys: readonly string[],
  colKeys: readonly string[],
  value: (row: string, col: string) => number,
  options: CrossTableOptions,
): PublishedTable {
  const rows = distinct('row', rowKeys);
  const cols = distinct('column', colKeys);
  const cells: SuppressionCell[] = [];
  const equations: AdditiveEquation[] = [];
  const values = new Map<string, number>();
  for (const r of rows) for (const c of cols) values.set(cellId([r, c]), value(r, c));
  for (const [id, v] of values) cells.push({ id, value: v });
  const addTotal = (id: string, parts: string[]) => {
    values.set(id, parts.reduce((s, p) => s + values.get(p)!, 0));
    cells.push({ id, value: values.get(id)! });
    equations.push({ total: id, parts });
  };
  if (options.rowTotals) for (const r of rows) addTotal(cellId([r, null]), cols.map((c) => cellId([r, c])));
  if (options.colTotals) for (const c of cols) addTotal(cellId([null, c]), rows.map((r) => cellId([r, c])));
  if (options.grandTotal) {
    const grand = cellId([null, null]);
    const byRows = rows.map((r) => cellId([r, null]));
    const byCols = cols.map((c) => cellId([null, c]));
    if (options.rowTotals) addTotal(grand, byRows);
    if (options.colTotals) {
      if (options.rowTotals) equations.push({ total: grand, parts: byCols });
      else addTotal(grand, byCols);
    }
    if (!options.rowTotals && !options.colTotals) addTotal(grand, rows.flatMap((r) => cols.map((c) => cellId([r, c]))));
  }
  const result = suppress({ cells, equations, k: options.k });
  return tableView(result, rows, cols, (r, c) => cellId([r, c]), {
    rowTotals: options.rowTotals,
    colTotals: options.colTotals,
    grandTotal: options.grandTotal,
  });
}

function pick(result: SuppressionResult, id: string): PublishedValue {
  return { value: result.published.get(id)!, primary: result.primary.has(id) };
}

function tableView(
  result: SuppressionResult,
  rows: string[],
  cols: string[],
  id: (row: string | null, col: string | null) => string,
  margins: { rowTotals?: boolean; colTotals?: boolean; grandTotal?: boolean },
): PublishedTable {
  const table: PublishedTable = {
    rowKeys: rows,
    colKeys: cols,
    values: rows.map((r) => cols.map((c) => result.published.get(id(r, c))!)),
    primary: rows.map((r) => cols.map((c) => result.primary.has(id(r, c)))),
  };
  if (margins.rowTotals) table.rowTotals = rows.map((r) => pick(result, id(r, null)));
  if (margins.colTotals) table.colTotals = cols.map((c) => pick(result, id(null, c)));
  if (margins.grandTotal) table.grandTotal = pick(result, id(null, null));
  return table;
}

export interface CubeDimension {
  name: string;
  keys: readonly string[];
}

export interface SuppressedCube {
  dimensions: CubeDimension[];
  /** The whole engine result; ids are cellId(keys). */
  result: SuppressionResult;
  /** One cell; a dimension left out (or null) is summed over. */
  cell(keys: Readonly<Record<string, string | null | undefined>>): PublishedValue;
  /**
   * A 2-D view with all its margins: `rows` × `cols`, every other dimension fixed by `fixed` or
   * summed over. Linked views come from the same suppression, so they agree.
   */
  table(rows: string, cols: string, fixed?: Readonly<Record<string, string | null | undefined>>): PublishedTable;
}

export interface CubeOptions {
  dimensions: CubeDimension[];
  /** The count of one innermost cell (every dimension given). */
  value: (keys: Record<string, string>) => number;
}

/**
 * An n-dimensional cube with every marginal sum (every cell where any subset of the dimensions is
 * summed over), suppressed in one call.
 */
export function suppressCube(options: CubeOptions & { k: number }): SuppressedCube {
  return viewCube(options.dimensions, suppress({ ...cubeSystem(options), k: options.k }));
}

/**
 * The cube's cells (ids: cellId(keys)) and every additive equation between them. To suppress it
 * together with other counts that overlap it (e.g. share denominators that are cube margins),
 * merge the systems, link equal cells with one-part equations, suppress once, then viewCube().
 */
export function cubeSystem(options: CubeOptions): { cells: SuppressionCell[]; equations: AdditiveEquation[] } {
  const dims = checkDimensions(options.dimensions);
  const cells: SuppressionCell[] = [];
  const equations: AdditiveEquation[] = [];
  const values = new Map<string, number>();
  // Every coordinate: each dimension's keys, then null (summed over). Innermost cells first.
  const coordinates: Array<Array<string | null>> = [[]];
  for (const d of dims) {
    const next: Array<Array<string | null>> = [];
    for (const prefix of coordinates) for (const key of [...d.keys, null]) next.push([...prefix, key]);
    coordinates.splice(0, coordinates.length, ...next);
  }
  const level = (keys: Array<string | null>) => keys.filter((k) => k === null).length;
  coordinates.sort((a, b) => level(a) - level(b));
  for (const keys of coordinates) {
    const id = cellId(keys);
    const axis = keys.indexOf(null);
    let v: number;
    if (axis < 0) v = options.value(Object.fromEntries(dims.map((d, i) => [d.name, keys[i] as string])));
    else v = dims[axis].keys.reduce((s, key) => s + values.get(cellId(keys.map((x, i) => (i === axis ? key : x))))!, 0);
    values.set(id, v);
    cells.push({ id, value: v });
    keys.forEach((key, i) => {
      if (key === null) equations.push({ total: id, parts: dims[i].keys.map((k) => cellId(keys.map((x, j) => (j === i ? k : x)))) });
    });
  }
  return { cells, equations };
}

function checkDimensions(dimensions: CubeDimension[]): Array<{ name: string; keys: string[] }> {
  const dims = dimensions.map((d) => ({ name: d.name, keys: distinct(d.name, d.keys) }));
  if (dims.length === 0 || new Set(dims.map((d) => d.name)).size !== dims.length) throw new SuppressionInputError('a cube needs distinct dimension names');
  return dims;
}

/** Reads a cube's cells and 2-D views out of a suppression result that covers cubeSystem(). */
export function viewCube(dimensions: CubeDimension[], result: SuppressionResult): SuppressedCube {
  const dims = checkDimensions(dimensions);
  const coordinatesOf = (given: Readonly<Record<string, string | null | undefined>>): Array<string | null> => {
    for (const name of Object.keys(given)) if (!dims.some((d) => d.name === name)) throw new SuppressionInputError(`no dimension ${name}`);
    return dims.map((d) => {
      const key = given[d.name] ?? null;
      if (key !== null && !d.keys.includes(key)) throw new SuppressionInputError(`${d.name} has no key ${key}`);
      return key;
    });
  };
  return {
    dimensions: dims,
    result,
    cell: (keys) => pick(result, cellId(coordinatesOf(keys))),
    table: (rows, cols, fixed = {}) => {
      const rowDim = dims.find((d) => d.name === rows);
      const colDim = dims.find((d) => d.name === cols);
      if (!rowDim || !colDim || rows === cols) throw new SuppressionInputError(`a table needs two different dimensions of the cube (got ${rows}, ${cols})`);
      const id = (r: string | null, c: string | null) => cellId(coordinatesOf({ ...fixed, [rows]: r, [cols]: c }));
      return tableView(result, rowDim.keys, colDim.keys, id, { rowTotals: true, colTotals: true, grandTotal: true });
    },
  };
}
