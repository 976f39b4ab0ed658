/**
 * The layer table of DESIGN.md › Architecture, checked on every `npm test`: an import may
 * only point down the table, and nothing forms a cycle. Tests sit beside the code they test
 * and may reach lower layers' test helpers and engines (an SQL test runs on both DuckDBs),
 * so the layer rules apply to source files; cycles are forbidden everywhere.
 */
const TEST = '\\.test\\.ts$';

/** folder → the folders it may import (besides itself), straight from the table. */
const layers = {
  'src/ui/': ['workers/contracts\\.ts$', 'src/pipeline/', 'src/core/', 'src/data/', 'src/i18n/'],
  'workers/': ['src/pipeline/', 'src/data/', 'src/db/', 'src/core/'],
  // The CLI says reject reasons from the dictionaries in its --lang (src/i18n imports nothing).
  'src/cli/': ['src/pipeline/', 'src/data/', 'src/db/', 'src/sql/', 'src/core/', 'src/i18n/'],
  'src/pipeline/': ['src/core/', 'src/sql/', 'src/data/', 'src/db/'],
  'src/i18n/': [],
  'src/data/': ['src/core/', 'src/sql/', 'src/db/'],
  'src/db/': ['src/sql/'],
  'src/sql/': [],
  'src/core/': [],
  'demo/': ['src/core/'],
};

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const layerRules = Object.entries(layers).map(([from, allowed]) => ({
  name: `layer:${from}`,
  comment: `${from} may import only ${allowed.length ? allowed.join(', ') : 'itself'} (DESIGN.md › Architecture)`,
  severity: 'error',
  from: { path: `^${escape(from)}`, pathNot: TEST },
  to: {
    path: '^(src|workers|demo|test|bench|scripts)/',
    pathNot: [`^${escape(from)}`, ...allowed.map((a) => `^${a.endsWith('$') ? a : escape(a)}`)],
  },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'pipeline-db-types-only',
      comment: 'pipelines run over ports: they may name src/db types, never open an engine',
      severity: 'error',
      from: { path: '^src/pipeline/', pathNot: TEST },
      to: { path: '^src/db/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      comment: 'no import cycles anywhere',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'source-not-test',
      comment: 'source files do not import tests, fixtures or benchmarks',
      severity: 'error',
      from: { path: '^(src|workers|demo)/', pathNot: TEST },
      to: { path: '^(test|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|public|test/fixtures/layers)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.mjs', '.svelte'] },
  },
};
