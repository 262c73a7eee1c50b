/**
 * The dependency rule (npm run depcruise, run by npm test): folders under src/ never depend on each
 * other both ways, no module cycles, the devnet only behind its seam, migrations import no
 * application code. Type-only imports count too. The layering, top to bottom (a folder may use the
 * ones below it; see ARCHITECTURE.md):
 *
 *   src/*.ts (server, app, routes, compose, config)
 *   api -> moderation -> articles -> images -> payments -> accounts -> web -> ops -> db, lightning -> lib
 */
const FEATURE_ORDER = ['api', 'moderation', 'articles', 'images', 'payments', 'accounts', 'web', 'ops', 'db', 'lightning', 'lib'];

/** For each folder, the folders above it: it must not import them. */
function layerRules() {
  const rules = [];
  FEATURE_ORDER.forEach((folder, i) => {
    const above = FEATURE_ORDER.slice(0, i);
    // db and lightning are side by side: neither uses the other.
    if (folder === 'lightning') above.push('db');
    if (folder === 'db') above.push('lightning');
    if (above.length === 0) return;
    rules.push({
      name: `layer-${folder}`,
      comment: `src/${folder} must not depend on a folder above it (${above.join(', ')}): see ARCHITECTURE.md`,
      severity: 'error',
      from: { path: `^src/${folder}/` },
      to: { path: `^src/(${above.join('|')})/` },
    });
  });
  return rules;
}

module.exports = {
  forbidden: [
    ...layerRules(),
    {
      name: 'no-feature-to-root',
      comment: 'Only the root files (server, app, routes, compose) wire folders together; a folder never imports them',
      severity: 'error',
      from: { path: '^src/[^/]+/' },
      to: { path: '^src/[^/]+\\.ts$', pathNot: '^src/config\\.ts$' },
    },
    {
      name: 'devnet-behind-its-seam',
      comment: 'The site reaches the devnet only through startDevnet (src/devnet/index.ts), from server.ts',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/devnet/|^src/server\\.ts$' },
      to: { path: '^src/devnet/' },
    },
    {
      name: 'devnet-seam-is-one-file',
      comment: 'server.ts imports src/devnet/index.ts and nothing else of the devnet',
      severity: 'error',
      from: { path: '^src/server\\.ts$' },
      to: { path: '^src/devnet/', pathNot: '^src/devnet/index\\.ts$' },
    },
    {
      name: 'devnet-uses-only-lib',
      comment: 'The devnet is its own program: of the site it may use src/lib only',
      severity: 'error',
      from: { path: '^src/devnet/' },
      to: { path: '^src/', pathNot: '^src/(devnet|lib)/' },
    },
    {
      name: 'migrations-import-no-application-code',
      comment: 'A migration must run the same forever: it imports no application code',
      severity: 'error',
      from: { path: '^migrations/' },
      to: { path: '^(src|seeds)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
