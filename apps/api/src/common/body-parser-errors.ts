/** body-parser reports its failures as errors carrying a 4xx `status` and a `type`. */
export function bodyParserStatus(err: unknown): number | undefined {
  const e = err as { status?: number; type?: string };
  if (typeof e?.type !== 'string' || typeof e.status !== 'number') return undefined;
  if (e.type === 'entity.too.large') return 413;
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return 415;
  if (e.status >= 400 && e.status < 500) return 400;
  return undefined;
}
