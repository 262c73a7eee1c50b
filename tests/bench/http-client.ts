/** Small HTTP helpers for the bench: a GET with a cookie, a concurrency-limited loop, an SSE listener. */
import http from 'node:http';

export async function get(url: string, cookie?: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  return { status: res.status, body: await res.text() };
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function mapLimit<T, R>(items: T[], concurrency: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

export interface SseListener {
  /** Resolves with performance.now() when the named event arrives. */
  next(event: string, timeoutMs: number): Promise<number>;
  close(): void;
}

/** Opens an SSE stream and resolves once the server has sent its first bytes (the stream is live). */
export function openSse(url: string, cookie: string): Promise<SseListener> {
  return new Promise((resolve, reject) => {
    const waiters: Array<{ event: string; resolve: (t: number) => void }> = [];
    const seen: Array<{ event: string; at: number }> = [];
    let buffer = '';
    const req = http.get(url, { headers: { cookie, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`SSE ${url} answered ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      let live = false;
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.+)$/m.exec(block)?.[1];
          if (!name) continue;
          const i = waiters.findIndex((w) => w.event === name);
          if (i >= 0) waiters.splice(i, 1)[0].resolve(at);
          else seen.push({ event: name, at });
        }
        if (!live) {
          live = true;
          resolve({
            next(event, timeoutMs) {
              const i = seen.findIndex((s) => s.event === event);
              if (i >= 0) return Promise.resolve(seen.splice(i, 1)[0].at);
              return new Promise((ok, fail) => {
                const timer = setTimeout(() => fail(new Error(`no "${event}" event within ${timeoutMs} ms`)), timeoutMs);
                waiters.push({ event, resolve: (t) => (clearTimeout(timer), ok(t)) });
              });
            },
            close: () => req.destroy(),
          });
        }
      });
    });
    req.on('error', reject);
  });
}
