/**
 * Markdown rendered off the event loop: a small pool of worker threads runs the same renderer as
 * markdown.ts (its function's source, with the same four libraries). A big or pathological text
 * (a 180 KB table took about a second of CPU) then costs a worker's time, not every other
 * request's. Bounded three ways: `workers` threads, `queue` jobs waiting (beyond that the site is
 * busy: 503), and `timeoutMs` per job (the worker is stopped and replaced, the text refused).
 */
import { Worker } from 'node:worker_threads';
import { createRenderer, FOOTNOTE_MODULE, HIGHLIGHTER_MODULE } from './markdown';
import { BusyError, HttpError } from '../web/errors';

export class MarkdownTooComplexError extends HttpError {
  override readonly name = 'MarkdownTooComplexError';
  constructor(seconds: number) {
    super(
      422,
      'Too complex',
      `This text takes more than ${seconds} seconds to format. Make it shorter or simpler (fewer table rows, less nesting).`,
    );
  }
}

export interface MarkdownRenderer {
  /** Each source as safe HTML, in the same order. */
  render(sources: string[]): Promise<string[]>;
  close(): Promise<void>;
}

function workerSource(): string {
  return `
    const { parentPort } = require('node:worker_threads');
    const render = (${createRenderer.toString()})(require(${JSON.stringify(require.resolve('markdown-it'))}), require(${JSON.stringify(require.resolve('sanitize-html'))}), require(${JSON.stringify(require.resolve(HIGHLIGHTER_MODULE))}), require(${JSON.stringify(require.resolve(FOOTNOTE_MODULE))}));
    parentPort.on('message', (job) => {
      try { parentPort.postMessage({ id: job.id, html: job.sources.map((s) => render(s)) }); }
      catch (err) { parentPort.postMessage({ id: job.id, error: String(err && err.message || err) }); }
    });`;
}

interface Job {
  id: number;
  sources: string[];
  resolve(html: string[]): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker | null;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

export function createMarkdownPool(options: { workers: number; queue: number; timeoutMs: number }): MarkdownRenderer {
  const source = workerSource();
  const slots: Slot[] = Array.from({ length: Math.max(1, options.workers) }, () => ({ worker: null, job: null, timer: null }));
  const waiting: Job[] = [];
  let nextId = 1;
  let closed = false;

  function finish(slot: Slot): Job | null {
    const job = slot.job;
    slot.job = null;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    return job;
  }

  /** A fresh worker for the slot (at first use, and after one was stopped or died). */
  function spawn(slot: Slot): Worker {
    const worker = new Worker(source, { eval: true });
    worker.unref();
    worker.on('message', (msg: { id: number; html?: string[]; error?: string }) => {
      if (slot.job?.id !== msg.id) return;
      const job = finish(slot)!;
      if (msg.html) job.resolve(msg.html);
      else job.reject(new Error(`markdown render failed: ${msg.error}`));
      pump();
    });
    const lost = (err: Error) => {
      if (slot.worker !== worker) return;
      slot.worker = null;
      finish(slot)?.reject(err);
      pump();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`markdown worker exited (${code})`)));
    return worker;
  }

  function pump(): void {
    for (const slot of slots) {
      if (closed || slot.job || waiting.length === 0) continue;
      const job = waiting.shift()!;
      slot.job = job;
      slot.worker ??= spawn(slot);
      slot.timer = setTimeout(() => {
        // Stuck on one text: stop that worker (its replacement starts with the next job).
        const worker = slot.worker;
        slot.worker = null;
        finish(slot)?.reject(new MarkdownTooComplexError(Math.round(options.timeoutMs / 1000)));
        void worker?.terminate();
        pump();
      }, options.timeoutMs);
      slot.worker.postMessage({ id: job.id, sources: job.sources });
    }
  }

  return {
    render(sources) {
      if (closed) return Promise.reject(new Error('markdown pool closed'));
      if (waiting.length >= options.queue) return Promise.reject(new BusyError());
      return new Promise<string[]>((resolve, reject) => {
        waiting.push({ id: nextId++, sources, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const job of waiting.splice(0)) job.reject(new Error('markdown pool closed'));
      await Promise.all(
        slots.map(async (slot) => {
          const worker = slot.worker;
          slot.worker = null;
          finish(slot)?.reject(new Error('markdown pool closed'));
          await worker?.terminate();
        }),
      );
    },
  };
}
