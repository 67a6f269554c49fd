/**
 * email: a personal mailbox — any address at a consumer provider, or an address whose local part
 * names or looks like an individual. An agency's role mailboxes (safety@, intake@, icwa.unit@) and
 * the issuing agency's own published contacts are not findings.
 */
import { Candidate, candidate, DeidDetector } from '../detector';
import { CONSUMER_MAIL_DOMAINS, ROLE_MAILBOX_WORDS } from '../lexicon/words';
import { ScanContext } from '../text-context';

const LOCAL_CHAR = /[A-Za-z0-9._%+'-]/;
const DOMAIN_CHAR = /[A-Za-z0-9.-]/;
const DOMAIN_RE = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/;

/** Word break over the role-mailbox words ("childsafety" = child + safety). Bounded: 16 per position. */
export function segmentsIntoRoleWords(s: string): boolean {
  const n = s.length;
  if (!n || n > 64) return false;
  const ok: boolean[] = new Array(n + 1).fill(false);
  ok[0] = true;
  for (let i = 1; i <= n; i++) {
    for (let j = Math.max(0, i - 16); j < i && !ok[i]; j++) if (ok[j] && ROLE_MAILBOX_WORDS.has(s.slice(j, i))) ok[i] = true;
  }
  return ok[n];
}

/** True for a role mailbox: every part of the local name is a role word or splits into role words. */
export function isRoleMailbox(local: string): boolean {
  const segs = local.toLowerCase().split(/[._+-]+/).filter((s) => s && !/^\d+$/.test(s));
  return segs.length > 0 && segs.every((s) => ROLE_MAILBOX_WORDS.has(s) || segmentsIntoRoleWords(s.replace(/\d+/g, '')));
}

export const emailDetector: DeidDetector = {
  kind: 'email',
  detect(ctx: ScanContext): Candidate[] {
    const text = ctx.text;
    const out: Candidate[] = [];
    for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
      let a = at;
      while (a > 0 && at - a < 64 && LOCAL_CHAR.test(text[a - 1])) a--;
      let b = at + 1;
      while (b < text.length && b - at < 254 && DOMAIN_CHAR.test(text[b])) b++;
      while (b > at + 1 && (text[b - 1] === '.' || text[b - 1] === '-')) b--;
      while (a < at && (text[a] === '.' || text[a] === "'")) a++;
      const local = text.slice(a, at);
      const domain = text.slice(at + 1, b).toLowerCase();
      if (!local || !DOMAIN_RE.test(domain)) continue;
      if (ctx.publicValues.emails.has(`${local.toLowerCase()}@${domain}`)) continue;
      if (CONSUMER_MAIL_DOMAINS.has(domain)) out.push(candidate('email', a, b, `Personal email address (consumer mail provider '${domain}')`));
      else if (!isRoleMailbox(local)) out.push(candidate('email', a, b, "Email address that looks like an individual's mailbox, not an agency role mailbox"));
    }
    return out;
  },
};
