/**
 * Renders the Handlebars templates under `<repo>/templates`. Every template is read and
 * parsed once, at construction, so a broken template stops start-up instead of a delivery.
 *
 * Names are paths relative to the root without `.hbs`: `email/notice.html`.
 * - `*.html` templates HTML-escape `{{…}}`; already-sanitised HTML goes in with `{{{…}}}`.
 * - `*.text` and `*.subject` templates are not HTML-escaped (they are not HTML);
 *   `*.subject` output is folded onto one line (no header injection through a title).
 * - Templates run in strict mode: a missing field throws rather than rendering blank
 *   (a field present with the value undefined still renders blank). Optional fields
 *   must be guarded with `{{#if}}`.
 * - `partials/*.hbs` are registered as partials by file name, for HTML templates.
 */
import { Inject, Injectable, Optional } from '@nestjs/common';
import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { helpersUsedAsValues } from './helper-values';

export const TEMPLATES_DIR = Symbol('TEMPLATES_DIR');

type Compiled = Handlebars.TemplateDelegate;

@Injectable()
export class TemplateRenderer {
  readonly root: string;
  private readonly hb = Handlebars.create();
  private readonly templates = new Map<string, Compiled>();

  constructor(@Optional() @Inject(TEMPLATES_DIR) templatesDir?: string) {
    this.root = resolve(templatesDir ?? findTemplatesDir(__dirname));
    registerHelpers(this.hb);
    this.load();
  }

  /** Template names available, sorted (partials excluded). */
  names(): string[] {
    return [...this.templates.keys()].sort();
  }

  has(name: string): boolean {
    return this.templates.has(name);
  }

  render(name: string, data: object): string {
    const template = this.templates.get(name);
    if (!template) throw new Error(`Unknown template "${name}"`);
    let out: string;
    try {
      out = template(data);
    } catch (err) {
      throw new Error(`Template ${name}: ${(err as Error).message}`);
    }
    return name.endsWith('.subject') ? out.replace(/\s+/g, ' ').trim() : out;
  }

  private load(): void {
    const partialsDir = join(this.root, 'partials');
    for (const file of listTemplateFiles(this.root)) {
      const rel = relative(this.root, file).split(sep).join('/');
      const name = rel.slice(0, -'.hbs'.length);
      const source = readFileSync(file, 'utf8');
      if (file.startsWith(partialsDir + sep)) {
        this.hb.registerPartial(name.slice('partials/'.length), this.compile(source, rel, true));
      } else {
        const plain = name.endsWith('.text') || name.endsWith('.subject');
        this.templates.set(name, this.compile(source, rel, !plain));
      }
    }
    if (this.templates.size === 0) throw new Error(`No templates found under ${this.root}`);
  }

  private compile(source: string, file: string, escape: boolean): Compiled {
    try {
      // compile() is lazy: parse now so syntax errors stop start-up.
      const bare = helpersUsedAsValues(this.hb.parse(source), this.hb.helpers);
      if (bare.length) throw new Error(`{{${bare[0]}}} is a helper, not a value: it would print the helper's options (the data); name the value otherwise`);
      return this.hb.compile(source, { strict: true, noEscape: !escape });
    } catch (err) {
      throw new Error(`Template ${file}: ${(err as Error).message}`);
    }
  }
}

/**
 * The directory holding `templates/email`, found by walking up from `start`: works from the
 * TypeScript sources (libs/core/src/templates) and from the build (dist/libs/core/src/templates).
 */
export function findTemplatesDir(start: string): string {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, 'templates');
    if (existsSync(join(candidate, 'email'))) return candidate;
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error(`No templates/email directory above ${start}`);
    dir = parent;
  }
}

/** Every `.hbs` file under `dir`, sorted, at any depth. */
export function listTemplateFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...listTemplateFiles(path));
    else if (entry.endsWith('.hbs')) out.push(path);
  }
  return out;
}

const SEVERITY_COLORS: Record<string, string> = {
  // Dark shades: white text on them passes WCAG AA contrast.
  critical: '#9b1c1c',
  high: '#9a3412',
  moderate: '#854d0e',
  low: '#1e40af',
};

function registerHelpers(hb: typeof Handlebars): void {
  /** `{{formatDate iso tz}}` → "Friday, 6 March 2026 at 17:00 CET (Europe/Berlin)". */
  hb.registerHelper('formatDate', (value: unknown, tz: unknown) =>
    formatDate(value, typeof tz === 'string' ? tz : undefined),
  );
  hb.registerHelper('upper', (value: unknown) => (value == null ? '' : String(value).toUpperCase()));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('severityColor', (severity: unknown) => SEVERITY_COLORS[String(severity)] ?? '#374151');
}

/** Readable date in a time zone, naming the zone. Unknown zones fall back to UTC; unparseable input is returned as given. */
export function formatDate(value: unknown, timeZone?: string): string {
  if (value == null || value === '') return '';
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) return String(value);
  let zone = timeZone || 'UTC';
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = dateFormatter(zone);
  } catch {
    zone = 'UTC';
    formatter = dateFormatter(zone);
  }
  const text = formatter.format(date);
  // Short names like "GMT-4" are ambiguous across zones, so the IANA name goes alongside.
  return zone === 'UTC' || zone === 'Etc/UTC' ? text : `${text} (${zone})`;
}

/** Building a formatter costs far more than using one: keep one per zone (a few hundred zones at most). */
const formatters = new Map<string, Intl.DateTimeFormat>();

function dateFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = newDateFormatter(timeZone);
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function newDateFormatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
    timeZoneName: 'short',
  });
}
