/** Formatting and time-zone helpers for the console's pages and forms. */

const short = new Map<string, Intl.DateTimeFormat>();

/** "Mar 6, 2026, 5:00 PM EST": compact, for tables (the same style as the reports' local times). Unknown zones fall back to UTC. */
export function shortDate(value: unknown, timeZone = 'UTC'): string {
  if (value == null || value === '') return '';
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) return String(value);
  let f = short.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZone,
        timeZoneName: 'short',
      });
    } catch {
      return shortDate(value, 'UTC');
    }
    short.set(timeZone, f);
  }
  return f.format(date);
}

/** 5400 → "1 h 30 min"; 45 → "45 s". */
export function duration(seconds: unknown): string {
  if (seconds == null || seconds === '') return '–';
  const s = Math.round(Number(seconds));
  if (!Number.isFinite(s)) return '–';
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** Offset of a zone from UTC at an instant, in ms (positive east of Greenwich). */
function zoneOffset(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return asUtc - (at - (at % 1000));
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A `datetime-local` value ("2026-03-06T17:00"), read as wall-clock time in `timeZone`, to an
 * ISO instant; undefined for an empty value, null for one that is not a date and time.
 */
export function localToIso(value: string | undefined, timeZone: string): string | null | undefined {
  const v = (value ?? '').trim();
  if (!v) return undefined;
  const m = LOCAL.exec(v);
  if (!m) return null;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0));
  if (Number.isNaN(wall)) return null;
  let guess = wall - zoneOffset(wall, timeZone);
  guess = wall - zoneOffset(guess, timeZone);
  const d = new Date(guess);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** An instant as a `datetime-local` value in `timeZone` (for editing). */
export function isoToLocal(value: string | Date | null | undefined, timeZone: string): string {
  if (!value) return '';
  const at = (value instanceof Date ? value : new Date(value)).getTime();
  if (Number.isNaN(at)) return '';
  const local = new Date(at + zoneOffset(at, timeZone));
  return local.toISOString().slice(0, 16);
}

/** "2026-03-06" (a date input) to the start of that day, UTC. */
export function dateToIso(value: string | undefined, endOfDay = false): string | undefined {
  const v = (value ?? '').trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return undefined;
  const d = new Date(`${v}T00:00:00.000Z`);
  if (Number.isNaN(d.getTime())) return undefined;
  if (endOfDay) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

/** Lines of a textarea, trimmed, empty ones dropped. */
export function linesOf(value: unknown): string[] {
  return typeof value === 'string'
    ? value
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean)
    : [];
}

/** Comma- or line-separated values. */
export function listOf(value: unknown): string[] {
  return typeof value === 'string'
    ? value
        .split(/[,\n]/)
        .map((l) => l.trim())
        .filter(Boolean)
    : [];
}

/** A form field that may be sent once (string) or several times (array). */
export function many(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '';
}
