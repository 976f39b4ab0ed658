import { describe, expect, it } from 'vitest';
import { format } from './format.ts';
import { en } from './en.ts';
import { riskMessages } from './risk.ts';

describe('format', () => {
  it('fills placeholders and leaves unknown ones alone', () => {
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
  it('agrees a word with its count: singular for exactly 1 only', () => {
    const tpl = '{n} {n|area|areas}';
    expect(format(tpl, { n: 1 })).toBe('1 area');
    expect(format(tpl, { n: 0 })).toBe('0 areas');
    expect(format(tpl, { n: 2 })).toBe('2 areas');
    expect(format(tpl, { n: 1.5 })).toBe('1.5 areas');
    // Counts arrive already formatted for the locale.
    expect(format(tpl, { n: '1' })).toBe('1 area');
    expect(format(tpl, { n: '1,001' })).toBe('1,001 areas');
  });
  it('says "1 area", not "1 areas", in the English dictionaries', () => {
    expect(format(en['dataset.areas'], { n: 1 })).toBe('1 area');
    expect(format(riskMessages.en['risk.policy.areas'], { n: 1 })).toBe('1 area now');
    expect(format(riskMessages.en['risk.file.errors'], { n: 1 })).toBe('The config was not loaded: 1 problem');
    expect(format(riskMessages.en['risk.ranking.all'], { n: 17 })).toBe('Show all 17 areas');
  });
});
