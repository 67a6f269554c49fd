/**
 * The features of the text model (text-model.ts): what a whole field says, not where. Lower-cased
 * words and word pairs, the shape of each whitespace-separated chunk (letters as A/a, digits as d:
 * "555-01-9876" → "ddd-dd-ddd+", "Jo's" → "Aa'a"), and the digit count of each digit run
 * written with separators. No position and no lexicon: a writer's wording, not a list, decides.
 */
const TOKEN_RE = /[A-Za-z\u00C0-\u024F']+|\d+|[^\sA-Za-z\d]/g;
const CHUNK_RE = /\S+/g;
const DIGIT_RUN_RE = /\d[\d\s\-.()/]{4,}\d/g;

/** "Jo's" → "Aa'a", "555-01-9876" → "ddd-dd-ddd+": a run of four or more alike is cut to three and "+". */
export function shapeOf(chunk: string): string {
  return chunk
    .replace(/[A-Z]/g, 'A')
    .replace(/[a-z]/g, 'a')
    .replace(/\d/g, 'd')
    .replace(/(.)\1{3,}/g, '$1$1$1+');
}

/** The distinct features of one text. */
export function textFeatures(text: string): string[] {
  const out = new Set<string>();
  const words = (text.match(TOKEN_RE) ?? []).map((w) => w.toLowerCase());
  words.forEach((w, i) => {
    out.add(`w:${w}`);
    if (i + 1 < words.length) out.add(`b:${w}_${words[i + 1]}`);
  });
  for (const chunk of text.match(CHUNK_RE) ?? []) out.add(`s:${shapeOf(chunk)}`);
  for (const run of text.match(DIGIT_RUN_RE) ?? []) out.add(`dl:${Math.min(run.replace(/\D/g, '').length, 16)}`);
  return [...out];
}
