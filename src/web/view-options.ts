/**
 * EJS options for the site's views. By default EJS runs each template inside `with (locals)`,
 * which makes every name in it a slow dynamic lookup; the article page renders in about half the
 * time without it. So the names a view reads are declared up front (EJS's destructuredLocals),
 * found by reading that view when it is compiled: every identifier inside a `<% %>` tag that is
 * not a property (after a dot), a keyword, a global (Math, encodeURIComponent...), one of EJS's
 * own, or a name the view declares itself (const/let/var: declaring it twice would not compile).
 * Each view gets its own list, so a name one view declares never hides a local from another. A
 * name a view reads but the render does not pass is simply undefined, as `typeof x !== 'undefined'`
 * expects. `include` is on every list: src/web/views.ts passes its own, which compiles the
 * included view with that view's list.
 */

const KEYWORDS = new Set(
  (
    'break case catch class const continue debugger default delete do else export extends false finally for function if import in ' +
    'instanceof let new null of return super switch this throw true try typeof var void while with yield await async static get set undefined'
  ).split(' '),
);
const EJS_OWN = new Set([
  'locals',
  '__locals',
  'include',
  '__output',
  '__append',
  '__line',
  '__lines',
  '__filename',
  'escapeFn',
  'rethrow',
]);

/** The names the view `source` reads from its locals. */
export function localNamesOfView(source: string): string[] {
  const used = new Set<string>();
  const declared = new Set<string>();
  for (const tag of source.matchAll(/<%([^#%][\s\S]*?)%>/g)) {
    const code = tag[1].replace(/^[=\-_]/, '').replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '""');
    for (const m of code.matchAll(/(?:const|let|var)\s+([A-Za-z_$][\w$]*)/g)) declared.add(m[1]);
    for (const m of code.matchAll(/(?<![.\w$])[A-Za-z_$][\w$]*/g)) used.add(m[0]);
  }
  return [...used].filter((n) => !KEYWORDS.has(n) && !EJS_OWN.has(n) && !declared.has(n) && !(n in globalThis)).sort();
}

/** The EJS options to compile the view `source` (its file under `viewsDir`) with. */
export function viewOptions(viewsDir: string, source: string): Record<string, unknown> {
  return {
    root: viewsDir,
    _with: false,
    destructuredLocals: [...localNamesOfView(source), 'include'],
  };
}
