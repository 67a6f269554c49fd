import { applyDecorators, Type as Class } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Brackets, type DataSource, type EntityManager, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';

/**
 * Search and paging for every administration table (console and API alike), done by the
 * database: one search box (`q`, matched case-insensitively, as a substring, against the
 * table's search columns) and numbered pages (`page`, from 1) of a fixed size. The links a table
 * shows keep every other parameter of the query, so paging never loses the filters.
 */
export interface PageRequest {
  q: string;
  page: number;
  perPage: number;
  /** The names of the parameters, when one page holds two tables (`keys` → `keysq`, `keyspage`). */
  prefix?: string;
}

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  perPage: number;
  prefix?: string;
}

export const PER_PAGE = 25;
const MAX_PAGE = 10_000;

/** `?q=…&page=…` from a request's query; anything odd is read as "no search" or page 1. */
export function pageRequest(query: Record<string, unknown> | undefined, perPage = PER_PAGE, prefix = ''): PageRequest {
  const raw = (k: string) => {
    const v = query?.[prefix + k];
    return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
  };
  const page = Number.parseInt(raw('page'), 10);
  return { q: raw('q').trim().slice(0, 200), page: Number.isFinite(page) && page >= 1 ? Math.min(page, MAX_PAGE) : 1, perPage, prefix };
}

/** A LIKE pattern that matches `text` literally, anywhere. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface PagedSql {
  /** The selected columns (aliased as the item's fields). */
  select: string;
  /** `FROM …` and any joins, without WHERE. */
  from: string;
  /** Conditions ANDed together; their parameters are `params`, numbered from $1. */
  where?: string[];
  params?: unknown[];
  /** Columns (text expressions) the search box matches. */
  search: string[];
  /** `ORDER BY` expression: make it total (end with a unique column) so pages never overlap. */
  order: string;
}

/** One page of rows and the count of every matching row, in one round trip. */
export async function pageOf<T>(db: DataSource | EntityManager, sql: PagedSql, req: PageRequest): Promise<Paged<T>> {
  const params = [...(sql.params ?? [])];
  const where = [...(sql.where ?? [])];
  if (req.q) {
    params.push(containsPattern(req.q));
    const n = params.length;
    where.push(`(${sql.search.map((c) => `${c} ILIKE $${n}`).join(' OR ')})`);
  }
  params.push(req.perPage, (req.page - 1) * req.perPage);
  const rows: (T & { __total: string })[] = await db.query(
    `SELECT ${sql.select}, count(*) OVER () AS __total ${sql.from}
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${sql.order} LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  let total = rows.length ? Number(rows[0].__total) : 0;
  if (!rows.length && req.page > 1) {
    // Past the last page: still say how many there are, so the pager can lead back.
    const [c] = await db.query(`SELECT count(*)::int AS n ${sql.from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, params.slice(0, -2));
    total = c.n;
  }
  const items = rows.map(({ __total, ...rest }) => rest as unknown as T);
  return { items, total, page: req.page, perPage: req.perPage, prefix: req.prefix };
}

/** The same for a list already in memory (a short one the service has to filter itself). */
export function pageList<T>(all: T[], req: PageRequest, text: (item: T) => string[]): Paged<T> {
  const q = req.q.toLowerCase();
  const matching = q ? all.filter((item) => text(item).some((t) => (t ?? '').toLowerCase().includes(q))) : all;
  const from = (req.page - 1) * req.perPage;
  return { items: matching.slice(from, from + req.perPage), total: matching.length, page: req.page, perPage: req.perPage, prefix: req.prefix };
}

export interface PagerView {
  label: string;
  /** "Showing 26 to 50 of 132" / "No matches". */
  summary: string;
  previous: string | null;
  next: string | null;
  pages: { n: number; href: string; current: boolean }[];
  page: number;
  pageCount: number;
  q: string;
  /** The search box's parameter name (`q`, or `keysq` for a second table). */
  qName: string;
  searched: boolean;
  clear: string;
  /** The other parameters, for the search form's hidden fields (a new search starts at page 1). */
  keep: { name: string; value: string }[];
}

/**
 * What the pager partial (console-pager.hbs) shows: links to the previous, next and nearby pages
 * of `path`, each keeping every other parameter of `query` (filters, the search, the agency shown).
 */
export function pagerView(path: string, query: Record<string, unknown> | undefined, paged: Paged<unknown>, label: string, hash = ''): PagerView {
  const prefix = paged.prefix ?? '';
  const [pageName, qName] = [`${prefix}page`, `${prefix}q`];
  const kept: [string, string][] = [];
  for (const [k, v] of Object.entries(query ?? {})) {
    if (k === pageName || k === 'done') continue;
    for (const one of Array.isArray(v) ? v : [v]) if (typeof one === 'string' && one !== '') kept.push([k, one]);
  }
  const link = (n: number) => {
    const qs = new URLSearchParams(n > 1 ? [...kept, [pageName, String(n)]] : kept).toString();
    return `${path}${qs ? `?${qs}` : ''}${hash}`;
  };
  const pageCount = Math.max(1, Math.ceil(paged.total / paged.perPage));
  const first = (paged.page - 1) * paged.perPage + 1;
  const last = Math.min(paged.total, paged.page * paged.perPage);
  const near = [...new Set([1, paged.page - 2, paged.page - 1, paged.page, paged.page + 1, paged.page + 2, pageCount])].filter((n) => n >= 1 && n <= pageCount).sort((a, b) => a - b);
  const q = typeof query?.[qName] === 'string' ? (query[qName] as string).trim() : '';
  const rest = new URLSearchParams(kept.filter(([k]) => k !== qName)).toString();
  return {
    label,
    summary: paged.total === 0 ? 'No matches' : paged.items.length ? `Showing ${first} to ${last} of ${paged.total}` : `There are ${paged.total}; this page is past the last one`,
    previous: paged.page > 1 ? link(Math.min(paged.page - 1, pageCount)) : null,
    next: paged.page < pageCount ? link(paged.page + 1) : null,
    pages: pageCount > 1 ? near.map((n) => ({ n, href: link(n), current: n === paged.page })) : [],
    page: paged.page,
    pageCount,
    q,
    qName,
    searched: q !== '',
    clear: `${path}${rest ? `?${rest}` : ''}${hash}`,
    keep: kept.filter(([k]) => k !== qName).map(([name, value]) => ({ name, value })),
  };
}

/**
 * The API's list routes (GET /api/v1/users, /agencies, /topics) take the console tables' search
 * (`q`) with `limit` and `offset`. Their body stays what it was (a JSON array, so existing
 * clients keep working); the count of every match is the `X-Total-Count` header. Without
 * `limit`, every match is listed, as before.
 */
export class ListQuery {
  @ApiPropertyOptional({ maxLength: 200, description: 'Search: a case-insensitive substring of the listed fields (see the operation)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, description: 'At most this many items; every match when absent' })
  @IsOptional()
  @Transform(integerText)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000, default: 0, description: 'Skip this many matches first (ordered as the operation says)' })
  @IsOptional()
  @Transform(integerText)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}

/** A query value of digits (an optional minus) as a number; anything else (empty, `1e3`, `1.5`, repeated) is left for IsInt to refuse. */
function integerText({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^-?\d{1,9}$/.test(value) ? Number(value) : value;
}

/** The response header that carries the count of every match of a list route. */
export const TOTAL_HEADER = 'X-Total-Count';

/** What a list route answers: the items as the body, the count of every match in the header. */
export function withTotal<T>(res: { setHeader(name: string, value: string): unknown }, list: { items: T[]; total: number }): T[] {
  res.setHeader(TOTAL_HEADER, String(list.total));
  return list.items;
}

/** OpenAPI for a list route: an array of `type`, and the total in the header. */
export function ApiListOk(type: Class<unknown>): MethodDecorator {
  return applyDecorators(
    ApiOkResponse({
      type: [type],
      headers: { [TOTAL_HEADER]: { description: 'How many items match q (all pages), whatever limit and offset', schema: { type: 'integer', minimum: 0 } } },
    }),
  );
}

/**
 * One slice of a query builder's rows (the caller sets its conditions and a total order) and the
 * count of every match: `search` are the property paths (`u.name`) the `q` of `query` matches.
 */
export async function listOf<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, search: string[], query: ListQuery): Promise<{ items: E[]; total: number }> {
  const q = query.q?.trim();
  if (q) {
    qb.andWhere(new Brackets((w) => search.forEach((c) => w.orWhere(`${c} ILIKE :listQ`, { listQ: containsPattern(q) }))));
  }
  if (query.offset) qb.offset(query.offset);
  if (query.limit) qb.limit(query.limit);
  const [items, total] = await qb.getManyAndCount();
  return { items, total };
}
