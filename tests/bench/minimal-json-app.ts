/**
 * The limit of the machine-read scenario: the smallest Express app that answers GET /json with a
 * JSON body of the same size as the paid article's JSON (no session, no database). Run as its own
 * process by the bench; prints "listening" when ready.
 */
import express from 'express';

function main(): void {
  const port = Number(process.env.PORT);
  const bytes = Number(process.env.JSON_BYTES ?? 8000);
  const payload = {
    id: 1,
    title: 'A body of the same size',
    bodyMarkdown: 'x'.repeat(Math.max(0, Math.floor(bytes / 2) - 60)),
    bodyHtml: 'y'.repeat(Math.max(0, Math.floor(bytes / 2) - 60)),
  };
  const app = express();
  app.disable('x-powered-by');
  app.get('/json', (_req, res) => {
    res.json(payload);
  });
  app.listen(port, '127.0.0.1', () => process.stdout.write('listening\n'));
  process.once('SIGTERM', () => process.exit(0));
}

main();
