/**
 * The notice email of a fan-out, rendered with Handlebars once per group of deliveries that see the
 * same message apart from three values: the address, the agency's name and the acknowledgment link.
 * Those are rendered as markers, and each delivery only fills them in (a render costs ~0.3 ms, a
 * fill a few µs). The first fill of every group is compared with a full render; if they differ (a
 * template that uses one of the values in a way a marker cannot stand for), that group is rendered
 * in full for every delivery.
 */
import { randomBytes } from 'node:crypto';
import Handlebars from 'handlebars';
import type { TemplateRenderer } from '../templates/template.renderer';
import { AttachmentUrl, MessageContext, noticeEmailData, PublishedContent, renderEmail, RenderedEmail } from './notice-message';

const SLOTS = ['email', 'agencyName', 'ackUrl'] as const;
type SlotName = (typeof SLOTS)[number];
type SlotValues = Record<SlotName, string>;

/** Groups kept (~15 KB each); the oldest goes first. A group is one content with one time zone, event, due date… */
const MAX_GROUPS = 64;

/** A rendered text cut at its markers: `parts[i]`, then slot i, …, then the last part. */
interface CutText {
  parts: string[];
  slots: { name: SlotName; escaped: boolean }[];
}

interface Group {
  subject: CutText;
  html: CutText;
  text: CutText;
  /** The first fill did not match a full render: render every delivery of this group in full. */
  renderInFull?: boolean;
  verified?: boolean;
}

export class NoticeEmailRenderer {
  private readonly groups = new Map<string, Group>();
  /** A number per content object, so a group belongs to the very object it was rendered from, never to another with its id. */
  private readonly contentNumbers = new WeakMap<PublishedContent, number>();
  private nextContentNumber = 0;
  // The apostrophe makes the marker show whether Handlebars HTML-escaped it (`&#x27;`) or not.
  private readonly marker = `sne${randomBytes(8).toString('hex')}'`;
  private readonly markerPattern: RegExp;

  constructor(
    private readonly templates: TemplateRenderer,
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    const id = this.marker.slice(0, -1);
    this.markerPattern = new RegExp(`${id}(?:'|&#x27;)(${SLOTS.join('|')})`, 'g');
  }

  /** The same message `renderNoticeEmail` builds for this address, with `ackUrl` its own link (or null). */
  render(d: MessageContext, to: string, notice: PublishedContent, ackUrl: string | null, attachmentUrl: AttachmentUrl): RenderedEmail {
    const marked = noticeEmailData({ ...d, agency_name: this.slot('agencyName') }, this.slot('email'), notice, ackUrl === null ? null : this.slot('ackUrl'), attachmentUrl);
    const key = `${this.contentNumber(notice)} ${groupKey(marked, notice)}`;
    let group = this.groups.get(key);
    if (!group) {
      group = this.cut(renderEmail(this.templates, 'notice', marked));
      if (this.groups.size >= MAX_GROUPS) this.groups.delete(this.groups.keys().next().value!);
      this.groups.set(key, group);
    }
    const full = () => renderEmail(this.templates, 'notice', noticeEmailData(d, to, notice, ackUrl, attachmentUrl));
    if (group.renderInFull) return full();
    const filled = fill(group, { email: to, agencyName: d.agency_name, ackUrl: ackUrl ?? '' });
    if (!group.verified) {
      const expected = full();
      group.verified = true;
      if (!sameEmail(filled, expected)) {
        group.renderInFull = true;
        this.warn(`notice ${notice.id}: the notice email template does not fit per-recipient filling; rendering each email in full`);
        return expected;
      }
    }
    return filled;
  }

  private contentNumber(notice: PublishedContent): number {
    let n = this.contentNumbers.get(notice);
    if (n === undefined) this.contentNumbers.set(notice, (n = this.nextContentNumber++));
    return n;
  }

  private slot(name: SlotName): string {
    return this.marker + name;
  }

  private cut(email: RenderedEmail): Group {
    return { subject: this.cutText(email.subject), html: this.cutText(email.html), text: this.cutText(email.text) };
  }

  private cutText(text: string): CutText {
    const parts: string[] = [];
    const slots: CutText['slots'] = [];
    let last = 0;
    for (const m of text.matchAll(this.markerPattern)) {
      parts.push(text.slice(last, m.index));
      slots.push({ name: m[1] as SlotName, escaped: m[0].includes('&#x27;') });
      last = m.index! + m[0].length;
    }
    parts.push(text.slice(last));
    return { parts, slots };
  }
}

/**
 * Everything that tells groups apart: the template data with the markers in, minus the content's
 * own fields (the content object is in the key already), so a field derived from the delivery cannot be missed.
 */
function groupKey(data: ReturnType<typeof noticeEmailData>, notice: PublishedContent): string {
  const own = notice as unknown as Record<string, unknown>;
  const fromDelivery = Object.entries(data.notice).filter(([k, v]) => own[k] !== v);
  return JSON.stringify({ ...data, notice: fromDelivery });
}

function fill(group: Group, values: SlotValues): RenderedEmail {
  return { subject: fillText(group.subject, values), html: fillText(group.html, values), text: fillText(group.text, values) };
}

function fillText({ parts, slots }: CutText, values: SlotValues): string {
  let out = parts[0];
  for (let i = 0; i < slots.length; i++) {
    const value = values[slots[i].name];
    out += (slots[i].escaped ? Handlebars.escapeExpression(value) : value) + parts[i + 1];
  }
  return out;
}

function sameEmail(a: RenderedEmail, b: RenderedEmail): boolean {
  return a.subject === b.subject && a.html === b.html && a.text === b.text;
}
