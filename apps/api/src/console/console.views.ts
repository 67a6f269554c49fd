import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { formatDate, formatFileSize, helpersUsedAsValues, listTemplateFiles, TemplateRenderer } from '@sne/core';
import { duration, shortDate } from './console-format';

type Compiled = Handlebars.TemplateDelegate;

/**
 * The console's own Handlebars instance: pages under `templates/console/`, partials from
 * `templates/partials/` (the console's are `console-*.hbs`). HTML-escaped; every template is
 * parsed at start-up so a broken one stops the app rather than a page. Not strict: pages show
 * optional fields with `{{#if}}`, and a missing one renders blank instead of failing a request.
 */
@Injectable()
export class ConsoleViews {
  readonly root: string;
  private readonly hb = Handlebars.create();
  private readonly pages = new Map<string, Compiled>();

  constructor(renderer: TemplateRenderer) {
    this.root = renderer.root;
    registerHelpers(this.hb);
    const partials = join(this.root, 'partials');
    for (const file of listTemplateFiles(partials)) {
      const name = relative(partials, file).split(sep).join('/').replace(/\.hbs$/, '');
      this.hb.registerPartial(name, this.compile(readFileSync(file, 'utf8'), file));
    }
    const pages = join(this.root, 'console');
    for (const file of listTemplateFiles(pages)) {
      const name = relative(pages, file).split(sep).join('/').replace(/\.hbs$/, '');
      this.pages.set(name, this.compile(readFileSync(file, 'utf8'), file));
    }
  }

  /** Where the console's stylesheet and script live. */
  get assetsDir(): string {
    return join(this.root, 'console', 'assets');
  }

  render(name: string, data: object): string {
    const page = this.pages.get(name);
    if (!page) throw new Error(`Unknown console template "${name}"`);
    return page(data);
  }

  /** A partial on its own (the live fragments re-render one section of a page). */
  renderPartial(name: string, data: object): string {
    const partial = this.hb.partials[name];
    if (!partial) throw new Error(`Unknown partial "${name}"`);
    const compiled = typeof partial === 'function' ? partial : this.hb.compile(partial);
    return compiled(data);
  }

  send(res: Response, name: string, data: object, status = 200): void {
    res.status(status).type('html').setHeader('Cache-Control', 'no-store');
    res.send(this.render(name, data));
  }

  private compile(source: string, file: string): Compiled {
    try {
      const bare = helpersUsedAsValues(this.hb.parse(source), this.hb.helpers);
      if (bare.length) throw new Error(`{{${bare[0]}}} is a helper, not a value: it would print the helper's options (the page's data); name the value otherwise`);
      // preventIndent: an indented partial call must not indent the lines of a textarea's value.
      return this.hb.compile(source, { strict: false, preventIndent: true });
    } catch (err) {
      throw new Error(`Template ${file}: ${(err as Error).message}`);
    }
  }
}



const LABELS: Record<string, string> = {
  in_review: 'In review',
  action_completed: 'Action completed',
  action_not_required: 'No action needed',
  not_applicable: 'Not applicable',
  agency_admin: 'Agency admin',
  admin: 'Partnership admin',
  email_link: 'email link',
  api: 'console or API',
  not_required: 'Not required',
};

/** "action_completed" → "Action completed". */
export function label(value: unknown): string {
  const s = value == null ? '' : String(value);
  if (LABELS[s]) return LABELS[s];
  const text = s.replace(/[_.]/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function registerHelpers(hb: typeof Handlebars): void {
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  hb.registerHelper('not', (a: unknown) => !a);
  hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hb.registerHelper('or', (...args: unknown[]) => {
    const values = args.slice(0, -1);
    return values.find(Boolean) ?? values[values.length - 1];
  });
  hb.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).map((a) => (a == null ? '' : String(a))).join(''));
  hb.registerHelper('includes', (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value));
  hb.registerHelper('human', (value: unknown) => label(value));
  hb.registerHelper('upper', (value: unknown) => (value == null ? '' : String(value).toUpperCase()));
  hb.registerHelper('formatDate', (value: unknown, tz: unknown) => formatDate(value, typeof tz === 'string' ? tz : undefined));
  hb.registerHelper('shortDate', (value: unknown, tz: unknown) => shortDate(value, typeof tz === 'string' ? tz : undefined));
  hb.registerHelper('duration', (seconds: unknown) => duration(seconds));
  hb.registerHelper('joinList', (list: unknown, sepArg: unknown) => (Array.isArray(list) ? list.join(typeof sepArg === 'string' ? sepArg : ', ') : ''));
  hb.registerHelper('asLines', (list: unknown) => (Array.isArray(list) ? list.join('\n') : typeof list === 'string' ? list : ''));
  /** A CSS string's content: every character but letters, digits and spaces as a CSS escape (nothing can end the string or the style element). */
  hb.registerHelper('cssString', (value: unknown) => String(value ?? '').replace(/[^A-Za-z0-9 ]/gu, (c) => `\\${c.codePointAt(0)!.toString(16)} `));
  hb.registerHelper('fileSize', (bytes: unknown) => formatFileSize(Number(bytes)));
  hb.registerHelper('startsWith', (s: unknown, prefix: unknown) => typeof s === 'string' && s.startsWith(String(prefix)));
  hb.registerHelper('add', (a: unknown, b: unknown) => Number(a) + Number(b));
  hb.registerHelper('json', (value: unknown) => JSON.stringify(value ?? null));
  /** `{{#if (errorFor errors "title")}}` and `aria-describedby` wiring for form fields. */
  hb.registerHelper('errorFor', (errors: unknown, field: unknown) =>
    errors && typeof errors === 'object' ? (errors as Record<string, string>)[String(field)] : undefined,
  );
  /** `{{#with (obj a=1 b=2)}}` */
  hb.registerHelper('obj', (options: { hash: object }) => options.hash);
}
