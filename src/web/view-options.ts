/**
 * EJS options for the site's views. By default EJS runs each template inside `with (locals)`,
 * which makes every name in it a slow dynamic lookup; the article page renders in about half the
 * time without it. So the names the views read are declared up front (EJS's destructuredLocals),
 * found by reading the views once at start: every identifier inside a `<% %>` tag that is not a
 * property (after a dot), a keyword, a global (Math, encodeURIComponent...), one of EJS's own, or
 * a name a view declares itself (const/let/var: declaring it twice would not compile). A name a
 * view reads but the render does not pass is simply undefined, as `typeof x !== 'undefined'` expects.
 */
import fs from 'node:fs';
import path from 'node:path';

const KEYWORDS = new Set(
  ('break case catch class const continue debugger default delete do else export extends false finally for function if import in ' +
    'instanceof let new null of return super switch this throw true try typeof var void while with yield await async static get set undefined')
    .split(' '),
);
const EJS_OWN = new Set(['locals', '__locals', 'include', '__output', '__append', '__line', '__lines', '__filename', 'escapeFn', 'rethrow']);

function viewFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return viewFiles(full);
    return e.name.endsWith('.ejs') ? [full] : [];
  });
}

/** The names the views under `viewsDir` read from their locals. */
export function localNamesOfViews(viewsDir: string): string[] {
  const used = new Set<string>();
  const declared = new Set<string>();
  for (const file of viewFiles(viewsDir)) {
    const source = fs.readFileSync(file, 'utf8');
    for (const tag of source.matchAll(/<%([^#%][\s\S]*?)%>/g)) {
      const code = tag[1]
        .replace(/^[=\-_]/, '')
        .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '""');
      for (const m of code.matchAll(/(?:const|let|var)\s+([A-Za-z_$][\w$]*)/g)) declared.add(m[1]);
      for (const m of code.matchAll(/(?<![.\w$])[A-Za-z_$][\w$]*/g)) used.add(m[0]);
    }
  }
  return [...used].filter((n) => !KEYWORDS.has(n) && !EJS_OWN.has(n) && !declared.has(n) && !(n in globalThis)).sort();
}

/** The 'view options' Express hands EJS on every render. */
export function viewOptions(viewsDir: string): Record<string, unknown> {
  return {
    // Views include each other by absolute name ('/partials/header'), resolved against views/
    // without a look at the disk per include (a relative name costs a stat on every render).
    root: viewsDir,
    _with: false,
    destructuredLocals: localNamesOfViews(viewsDir),
  };
}
