import http from 'node:http';

export interface RawRequest {
  method: string;
  /** Sent exactly as given: no normalising, no re-encoding. */
  path: string;
  headers?: Record<string, string>;
  /** Sent byte for byte: a Buffer may hold any bytes at all. */
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
  /** The body parsed as JSON when it says it is JSON (undefined otherwise, or when it is not). */
  json: any;
  headers: http.IncomingHttpHeaders;
}

/**
 * One request with node's own client, which (unlike fetch) sends a path and a body exactly as
 * given. An event stream or a JSON-lines export is cut once its status is known.
 */
export function sendRaw(base: string, r: RawRequest, timeoutMs = 20000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const headers: Record<string, string | number> = { ...(r.headers ?? {}) };
    if (r.body !== undefined) headers['content-length'] = Buffer.byteLength(r.body);
    const req = http.request({ host: url.hostname, port: url.port, method: r.method, path: r.path, headers }, (res) => {
      const contentType = String(res.headers['content-type'] ?? '');
      if (contentType.startsWith('text/event-stream') || contentType.startsWith('application/x-ndjson')) {
        res.destroy();
        resolve({ status: res.statusCode ?? 0, contentType, text: '', json: undefined, headers: res.headers });
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: any;
        try {
          json = text && contentType.includes('json') ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, contentType, text, json, headers: res.headers });
      });
      res.on('error', reject);
    });
    // The server may answer (413) and close before it has read an oversized body.
    req.on('error', (err) => reject(err));
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout: ${r.method} ${r.path.slice(0, 100)}`)));
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}
