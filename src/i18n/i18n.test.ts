import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';
import { importMessages } from './import.ts';
import { riskMessages } from './risk.ts';
import { hotspotsMessages } from './hotspots.ts';
import { sitesMessages } from './sites.ts';
import { shareMessages } from './share.ts';

const bundles = [{ en, 'zh-CN': zhCN }, importMessages, riskMessages, hotspotsMessages, sitesMessages, shareMessages];

describe('message bundles', () => {
  it('translate every key into both languages, non-empty, with the same placeholders', () => {
    for (const b of bundles) {
      expect(Object.keys(b['zh-CN']).sort()).toEqual(Object.keys(b.en).sort());
      for (const [k, v] of Object.entries(b.en) as Array<[string, string]>) {
        const zh = (b['zh-CN'] as Record<string, string>)[k];
        expect(v.trim(), k).not.toBe('');
        expect(zh.trim(), k).not.toBe('');
        // `{n}` and the English-only plural form `{n|one|other}` name the same parameter.
        const ph = (s: string) => [...new Set([...s.matchAll(/\{(\w+)(?:\|[^|{}]*\|[^|{}]*)?\}/g)].map((m) => m[1]))].sort();
        expect(ph(zh), k).toEqual(ph(v));
      }
    }
  });
  it('agree English nouns with the counts before them ("1 area", not "1 areas")', () => {
    for (const b of bundles) {
      for (const [k, v] of Object.entries(b.en) as Array<[string, string]>) {
        // A count placeholder followed by a plural noun must use `{n|one|other}`.
        expect(v, k).not.toMatch(/\{(?!(?:res|k|segment)\})\w+\} (?:new |study |demand |earlier )?(?:areas|customers|sites|rows|files|features|cells|candidates|periods|pages|snapshots|problems|variables|permutations|points)\b/);
        expect(v, k).not.toMatch(/\w\(s\)/);
      }
    }
  });
  it('never define the same key in two bundles', () => {
    const seen = new Map<string, number>();
    bundles.forEach((b, i) => {
      for (const k of Object.keys(b.en)) {
        expect(seen.has(k), `${k} in bundles ${seen.get(k)} and ${i}`).toBe(false);
        seen.set(k, i);
      }
    });
  });
});
