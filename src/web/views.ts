/**
 * Rendering the views without Express's app.render: that merges app.locals (with every setting),
 * res.locals and the options into one big object per page, and EJS's renderFile copies it once
 * more, a visible share of the article page's time (docs/benchmarks.md). Here each template is compiled
 * once (when `cache` is on, as in production) and called with one object: the view helpers, the
 * request's res.locals and the page's own values, between the header and the footer views.
 * `include(name, extra?)` inside a view is ours too: the included view is compiled with its own
 * names (src/web/view-options.ts) and called with the page's values plus `extra`.
 * `res.render` keeps Express's signature
 * (view, options?, callback?), so routes and the error handler are unchanged.
 */
import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import type { RequestHandler, Response } from 'express';
import { viewOptions } from './view-options';

type Callback = (err: Error | null, html?: string) => void;

/** The views every page is rendered between. */
const LAYOUT = { header: 'partials/header', footer: 'partials/footer' };

export interface Views {
  render(name: string, data: Record<string, unknown>): string;
  /** Installs `res.render` on every response. */
  middleware: RequestHandler;
}

/**
 * The helpers, res.locals and the page's values in one plain object, later ones winning. Copied
 * key by key: V8's object spread of these (the helpers are functions, res.locals has a null
 * prototype) cost far more per page than these loops in the profiles (docs/benchmarks.md).
 */
export function pageLocals(...sources: object[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const source of sources) {
    for (const key in source) out[key] = (source as Record<string, unknown>)[key];
  }
  return out;
}

export function createViews(options: { viewsDir: string; cache: boolean; locals: Record<string, unknown> }): Views {
  const compiled = new Map<string, ejs.TemplateFunction>();

  function template(name: string): ejs.TemplateFunction {
    const hit = compiled.get(name);
    if (hit) return hit;
    const filename = path.join(options.viewsDir, `${name}.ejs`);
    const source = fs.readFileSync(filename, 'utf8');
    const fn = ejs.compile(source, { ...viewOptions(options.viewsDir, source), filename });
    if (options.cache) compiled.set(name, fn);
    return fn;
  }

  /** `data` with the `include` its view calls: by absolute name ('/articles/payment-panel'), resolved against views/. */
  function withInclude(data: Record<string, unknown>): Record<string, unknown> {
    data.include = (name: string, extra?: object) => template(name.replace(/^\//, ''))(extra ? withInclude(pageLocals(data, extra)) : data);
    return data;
  }

  const views: Views = {
    render(name, data) {
      // Every page sits between the same header and footer: rendered here with the page's own
      // values rather than included by each view (an include copies all the locals once more).
      withInclude(data);
      return (template(LAYOUT.header)(data) as string) + (template(name)(data) as string) + (template(LAYOUT.footer)(data) as string);
    },
    middleware(_req, res, next) {
      res.render = function render(this: Response, view: string, opts?: object | Callback, callback?: Callback) {
        const done = typeof opts === 'function' ? opts : callback;
        const data = typeof opts === 'object' && opts !== null ? opts : {};
        let html: string;
        try {
          html = views.render(view, pageLocals(options.locals, this.locals, data));
        } catch (err) {
          if (done) return done(err as Error);
          return this.req.next?.(err);
        }
        if (done) return done(null, html);
        this.send(html);
      } as Response['render'];
      next();
    },
  };
  return views;
}
