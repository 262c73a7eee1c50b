/**
 * The limit: the smallest Express + EJS + express-session app that serves a returning visitor a
 * page of the same size as the article page, with its sessions in the same PostgreSQL
 * (connect-pg-simple, same pool size and session options as the site). Run as its own process by
 * the bench; prints "listening" when ready.
 */
import path from 'node:path';
import express from 'express';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import pg from 'pg';

declare module 'express-session' {
  interface SessionData {
    passport?: { user?: number };
  }
}

function fillerParagraphs(totalBytes: number): string[] {
  const sentence = 'A payment channel lets two parties settle many small payments with one on-chain transaction. ';
  const paragraphs: string[] = [];
  let left = totalBytes;
  while (left > 0) {
    const p = sentence.repeat(6).slice(0, Math.min(left, sentence.length * 6));
    paragraphs.push(p);
    left -= p.length + 8;
  }
  return paragraphs;
}

function main(): void {
  const port = Number(process.env.PORT);
  const pageBytes = Number(process.env.PAGE_BYTES ?? 8000);
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 5 });
  const PgStore = connectPgSimple(session);
  const app = express();
  app.disable('x-powered-by');
  app.set('views', path.join(process.cwd(), 'tests/bench/views'));
  app.set('view engine', 'ejs');
  app.enable('view cache');
  app.use(
    session({
      name: 'paywall.sid',
      store: new PgStore({ pool, tableName: 'session', createTableIfMissing: false, disableTouch: process.env.SESSION_TOUCH !== 'true' }),
      secret: String(process.env.SESSION_SECRET),
      resave: false,
      saveUninitialized: false,
      rolling: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: false, maxAge: 30 * 24 * 60 * 60 * 1000 },
    }),
  );
  // Leave room for the layout around the text, so the whole page weighs about `pageBytes`.
  const paragraphs = fillerParagraphs(Math.max(0, pageBytes - 400));
  app.get('/page', (req, res) => {
    res.render('page', { title: 'A page of the same size', userId: req.session.passport?.user ?? null, paragraphs });
  });
  app.listen(port, '127.0.0.1', () => process.stdout.write('listening\n'));
  // A clean exit on SIGTERM, so a --cpu-prof profile (BENCH_LIMIT_NODE_ARGS) gets written.
  process.once('SIGTERM', () => process.exit(0));
}

main();
