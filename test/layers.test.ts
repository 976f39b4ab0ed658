/**
 * The layer check (`npm run check:layers`) can fail: run the real config over a small tree
 * that breaks each rule once and keeps each allowed arrow once.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { cruise } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const config = require('../.dependency-cruiser.cjs');
const FIXTURE = resolve(import.meta.dirname, 'fixtures/layers');

describe('.dependency-cruiser.cjs', () => {
  it('reports exactly the upward imports, the cycle and the engine opened from a pipeline', async () => {
    const result = await cruise(['src', 'workers'], {
      baseDir: FIXTURE,
      validate: true,
      ruleSet: { forbidden: config.forbidden },
      tsPreCompilationDeps: true,
    });
    const output = result.output as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
    const found = output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
    expect(found).toEqual([
      'layer:src/core/: src/core/up.ts → src/ui/map/view.ts',
      'layer:src/ui/: src/ui/map/reach.ts → workers/entry.ts',
      'no-circular: src/sql/a.ts → src/sql/b.ts',
      'pipeline-db-types-only: src/pipeline/x/opens.ts → src/db/engine.ts',
    ]);
  });
});
