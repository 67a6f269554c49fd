/** A minimal Server-Sent Events client for the live feed tests, on node's http client (not EventSource). */
import http from 'node:http';
import { eventually } from './fixtures';

export interface SseMessage {
  id: string;
  event: string;
  data: any;
}

/** A minimal SSE reader (the text/event-stream format: fields per line, a blank line ends an event). */
export class SseStream {
  messages: SseMessage[] = [];
  comments: string[] = [];
  status = 0;
  headers: http.IncomingHttpHeaders = {};
  body = '';
  ended = false;
  /** The feed's starting point, from its first comment ("connected after N"). */
  startId = '';
  private buffer = '';
  private req?: http.ClientRequest;

  static open(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
    const s = new SseStream();
    return new Promise((resolve, reject) => {
      s.req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        s.status = res.statusCode ?? 0;
        s.headers = res.headers;
        res.setEncoding('utf8');
        res.on('error', () => undefined);
        if (s.status !== 200) {
          res.on('data', (c) => (s.body += c));
          res.on('end', () => resolve(s));
          return;
        }
        res.on('data', (chunk: string) => {
          s.feed(chunk);
          if (s.startId) resolve(s);
        });
        res.on('end', () => (s.ended = true));
      });
      s.req.on('error', (err) => (s.status ? undefined : reject(err)));
    });
  }

  private feed(chunk: string) {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      const fields: Record<string, string> = {};
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith(':')) {
          const comment = line.slice(1).trim();
          this.comments.push(comment);
          const m = /^connected after (\d+)$/.exec(comment);
          if (m) this.startId = m[1];
          continue;
        }
        const i = line.indexOf(':');
        const [field, value] = i < 0 ? [line, ''] : [line.slice(0, i), line.slice(i + 1).replace(/^ /, '')];
        fields[field] = field in fields && field === 'data' ? `${fields[field]}\n${value}` : value;
      }
      if (fields.data !== undefined) this.messages.push({ id: fields.id, event: fields.event ?? 'message', data: JSON.parse(fields.data) });
    }
  }

  get ids(): string[] {
    return this.messages.map((m) => m.id);
  }

  get lastId(): string {
    return this.messages.at(-1)?.id ?? this.startId;
  }

  waitFor(what: string, pred: (m: SseMessage) => boolean, timeoutMs = 20000): Promise<SseMessage> {
    return eventually(async () => this.messages.find(pred), timeoutMs, what);
  }

  close() {
    this.req?.destroy();
  }
}
