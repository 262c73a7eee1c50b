/** Real HTTP against a listening site: cookie-carrying login and a Server-Sent Events reader. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export async function listen(app: Express): Promise<{ baseUrl: string; server: http.Server; close(): Promise<void> }> {
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Logs in over HTTP the way a browser does and returns the session cookie. */
export async function loginCookie(baseUrl: string, username: string, password = `${username}-password`): Promise<string> {
  const page = await fetch(`${baseUrl}/login`);
  const jar = (page.headers.get('set-cookie') ?? '').split(';')[0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1];
  const res = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar },
    body: new URLSearchParams({ username, password, _csrf: csrf }).toString(),
  });
  if (res.status !== 302) throw new Error(`login as ${username} failed: ${res.status}`);
  // The session cookie among those the login sets (it also remembers the browser for the account).
  const session = res.headers.getSetCookie().find((c) => c.startsWith('paywall.sid='));
  if (!session) throw new Error(`login as ${username} set no session cookie`);
  return session.split(';')[0];
}

export interface SseEvent {
  event: string;
  data: string;
}

export interface SseStream {
  status: number;
  events: SseEvent[];
  /** Resolves with the first event named `name` (already received or still to come). */
  next(name: string): Promise<SseEvent>;
  close(): void;
}

export function openSse(url: string, cookie: string): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { cookie, accept: 'text/event-stream' } }, (res) => {
      const events: SseEvent[] = [];
      const waiters: Array<{ name: string; resolve: (e: SseEvent) => void }> = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let idx;
        while ((idx = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, idx);
          buffer = buffer.slice(idx + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length === 0) continue;
          const e = { event, data: data.join('\n') };
          events.push(e);
          for (const w of waiters.filter((w) => w.name === event)) w.resolve(e);
        }
      });
      resolve({
        status: res.statusCode ?? 0,
        events,
        next: (name) =>
          new Promise((r) => {
            const found = events.find((e) => e.event === name);
            if (found) r(found);
            else waiters.push({ name, resolve: r });
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
    });
  });
}

/** Polls `check` until it returns a value that is not undefined; a bounded wait, not a timing test. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
