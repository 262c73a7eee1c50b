/**
 * The README's nginx configuration, taken from the README itself and run with Debian's nginx in
 * front of the site: plain HTTP is redirected to HTTPS, pages come through TLS, and the payment
 * news stream reaches the reader while it is still open (nginx does not buffer it). Skipped, and
 * said so, where nginx is not installed (CI installs nginx-light).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { payInvoice } from '../../src/devnet/pay';
import { repoRoot } from '../../src/lib/paths';
import { startTestSite, paymentRequestFrom, type TestSite } from '../helpers/site';
import { listen, eventually } from '../helpers/http';
import { freePort } from '../helpers/free-port';
import { adminArticles } from '../helpers/db-probes';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));
const HOST = 'reads.example';

/** The ```nginx block of the README's "Deploying" section, as an operator would copy it. */
function readmeNginxConfig(): string {
  const readme = fs.readFileSync(path.join(repoRoot(), 'README.md'), 'utf8');
  const m = /## Deploying[\s\S]*?```nginx\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error('README has no nginx configuration under "Deploying"');
  return m[1];
}

(NGINX ? describe : describe.skip)('the README nginx configuration in front of the site', () => {
  let site: TestSite;
  let server: Awaited<ReturnType<typeof listen>>;
  let nginx: ChildProcess;
  let dir: string;
  let ports: { plain: number; tls: number };
  let ca: Buffer;

  beforeAll(async () => {
    site = await startTestSite({ watcher: true });
    server = await listen(site.app);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-test-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${HOST}`,
        '-addext',
        `subjectAltName=DNS:${HOST}`,
        '-keyout',
        `${dir}/key.pem`,
        '-out',
        `${dir}/cert.pem`,
      ],
      { stdio: 'ignore' },
    );
    ca = fs.readFileSync(`${dir}/cert.pem`);
    ports = { plain: await freePort(), tls: await freePort() };
    const sitePort = new URL(server.baseUrl).port;
    const conf = readmeNginxConfig()
      .replace('server 127.0.0.1:3000;', `server 127.0.0.1:${sitePort};`)
      .replace('listen 80;', `listen 127.0.0.1:${ports.plain};`)
      .replace(/listen 443 ssl( http2)?;/, `listen 127.0.0.1:${ports.tls} ssl$1;`)
      .replace(/ssl_certificate +\S+;/, `ssl_certificate ${dir}/cert.pem;`)
      .replace(/ssl_certificate_key +\S+;/, `ssl_certificate_key ${dir}/key.pem;`);
    const temp = (n: string) => `${n}_temp_path ${dir}/${n};`;
    fs.writeFileSync(
      `${dir}/nginx.conf`,
      `daemon off;\nmaster_process off;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;\nevents {}\nhttp {\naccess_log off;\n${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n')}\n${conf}\n}\n`,
    );
    nginx = spawn(NGINX as string, ['-c', `${dir}/nginx.conf`, '-p', dir, '-e', `${dir}/error.log`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    nginx.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    await eventually(
      () =>
        new Promise<true | undefined>((resolve) => {
          if (nginx.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
          const s = net.connect(ports.tls, '127.0.0.1', () => {
            s.end();
            resolve(true);
          });
          s.on('error', () => resolve(undefined));
        }),
      'nginx to listen',
    );
  });
  afterAll(async () => {
    nginx?.kill('SIGTERM');
    await server?.close();
    await site?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function viaTls(pathname: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
    return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
      const req = https.request(
        {
          host: '127.0.0.1',
          port: ports.tls,
          servername: HOST,
          ca,
          path: pathname,
          method: options.method ?? 'GET',
          headers: { host: HOST, ...options.headers },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        },
      );
      req.on('error', reject);
      req.end(options.body);
    });
  }

  test('plain HTTP is sent to HTTPS', async () => {
    const res = await new Promise<http.IncomingMessage>((resolve) =>
      http.get({ host: '127.0.0.1', port: ports.plain, path: '/articles/1', headers: { host: HOST } }, resolve),
    );
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe(`https://${HOST}/articles/1`);
    res.resume();
  });

  test('a reader logs in through TLS, and the payment news arrives through nginx while the stream is open', async () => {
    expect((await viaTls('/')).text).toContain('Test Reads');
    const login = await viaTls('/login');
    const jar = (login.headers['set-cookie'] ?? [])[0].split(';')[0];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)![1];
    const posted = await viaTls('/login', {
      method: 'POST',
      headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'alice', password: 'alice-password', _csrf: csrf }).toString(),
    });
    expect(posted.status).toBe(302);
    const cookie = (posted.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith('paywall.sid=')) as string;
    const [article] = await adminArticles(site.knex);
    const page = await viaTls(`/articles/${article.id}`, { headers: { cookie } });
    const pr = paymentRequestFrom(page.text);

    const received: string[] = [];
    let complete!: () => void;
    const gotComplete = new Promise<void>((r) => (complete = r));
    const stream = https.get(
      {
        host: '127.0.0.1',
        port: ports.tls,
        servername: HOST,
        ca,
        path: `/articles/${article.id}/events`,
        headers: { host: HOST, cookie, accept: 'text/event-stream' },
      },
      (res) => {
        expect(res.statusCode).toBe(200);
        res.on('data', (c: Buffer) => {
          received.push(c.toString());
          if (received.join('').includes('event: complete')) complete();
        });
      },
    );
    try {
      await eventually(async () => (received.length > 0 ? true : undefined), 'the stream to open');
      expect((await payInvoice(site.devnet.nodes.alice, pr)).status).toBe('SUCCEEDED');
      // Still open: the event came through unbuffered, not with the end of the response.
      await gotComplete;
      expect(stream.destroyed).toBe(false);
    } finally {
      stream.destroy();
    }
  });
});
