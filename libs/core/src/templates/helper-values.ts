import type Handlebars from 'handlebars';

/**
 * Mustaches that name a helper with nothing to pass it: `href="{{json}}"` printed the json
 * helper's options object, the whole page's data and its CSRF token, into a link.
 */
export function helpersUsedAsValues(program: ReturnType<typeof Handlebars.parse>, helpers: Record<string, unknown>): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as { type?: string; path?: { original?: unknown }; params?: unknown[]; hash?: unknown };
    if (n.type === 'MustacheStatement' && typeof n.path?.original === 'string' && !n.params?.length && !n.hash && Object.hasOwn(helpers, n.path.original) && !BUILT_IN.has(n.path.original)) {
      found.push(n.path.original);
    }
    for (const value of Object.values(node)) if (value && typeof value === 'object') visit(value);
  };
  visit(program);
  return found;
}
/** Handlebars' own helpers, which a bare mustache never names by mistake. */
const BUILT_IN = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log', 'helperMissing', 'blockHelperMissing']);
