/**
 * Topic keys and subscription patterns follow NATS subject semantics:
 * `substance-exposure.*` matches exactly one level below, `substance-exposure.>` any depth below.
 * The same rule runs in SQL (sne_topic_matches) for set-based fan-out; a test keeps the two equal.
 */
const TOKEN = '[a-z0-9]+(?:-[a-z0-9]+)*';
const TOPIC_KEY = new RegExp(`^${TOKEN}(?:\\.${TOKEN})*$`);
const TOPIC_PATTERN = new RegExp(`^(?:>|(?:${TOKEN}|\\*)(?:\\.(?:${TOKEN}|\\*))*(?:\\.>)?)$`);

export function isTopicKey(value: string): boolean {
  return value.length <= 200 && TOPIC_KEY.test(value);
}

export function isTopicPattern(value: string): boolean {
  return value.length <= 200 && TOPIC_PATTERN.test(value);
}

export function topicMatches(pattern: string, topic: string): boolean {
  const p = pattern.split('.');
  const t = topic.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return t.length > i;
    if (i >= t.length) return false;
    if (p[i] !== '*' && p[i] !== t[i]) return false;
  }
  return p.length === t.length;
}

export function anyTopicMatches(patterns: string[], topics: string[]): boolean {
  return patterns.some((p) => topics.some((t) => topicMatches(p, t)));
}
