import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ejs from 'ejs';
import { localNamesOfView, viewOptions } from '../../src/web/view-options';
import { repoRoot } from '../../src/lib/paths';

test('the names a view reads are found; properties, keywords, globals, strings and its own declarations are not', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'views-'));
  try {
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(
      path.join(dir, 'sub', 'page.ejs'),
      `<%# a comment naming ghost %><h1><%= article.title %></h1>
       <% if (typeof notice !== 'undefined' && notice) { %><p><%- Math.max(count, 1) %> "<%= 'quoted word' %>"</p><% } %>
       <% const local = user ? user.name : null; for (const item of items) { %><%= encodeURIComponent(item) + local %><% } %>`,
    );
    expect(localNamesOfView(fs.readFileSync(path.join(dir, 'sub', 'page.ejs'), 'utf8'))).toEqual([
      'article',
      'count',
      'items',
      'notice',
      'user',
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('every view of the site compiles with the options the site renders with', () => {
  const viewsDir = path.join(repoRoot(), 'views');
  const files = fs
    .readdirSync(viewsDir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ejs'));
  expect(files.length).toBeGreaterThan(10);
  for (const f of files) {
    const filename = path.join(viewsDir, f);
    const source = fs.readFileSync(filename, 'utf8');
    expect(() => ejs.compile(source, { ...viewOptions(viewsDir, source), filename })).not.toThrow();
  }
});
