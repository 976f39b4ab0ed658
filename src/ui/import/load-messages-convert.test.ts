/**
 * A big CSV that would have to be converted in memory (UTF-16, not UTF-8, mixed line endings) is
 * refused by the loader with an English sentence (source-csv.ts); on screen it must read in the
 * user's language, naming the sizes, never as English under zh-CN.
 */
import { describe, expect, it } from 'vitest';
import { loadProblemMessage, type LoadMessage } from './load-messages.ts';
import { importMessages } from '../../i18n/import.ts';
import { format } from '../../i18n/format.ts';

const say = (lang: 'en' | 'zh-CN', m: LoadMessage | null) => (m ? format(importMessages[lang][m.key as keyof typeof importMessages.en], m.params) : null);
const tail = 'files over 512 MB are read only as UTF-8 with one kind of line ending: save it as "CSV UTF-8" and load it again, or use the command line (npm run cli -- aggregate)';

describe('refusals of big files that need converting', () => {
  it.each([
    ['is 1,204 MB of UTF-16 text, which must be converted before loading; ' + tail, 'import.problem.convertUtf16', 'UTF-16 文本'],
    ['is 1,204 MB of text that is not UTF-8, which must be converted before loading; ' + tail, 'import.problem.convertEncoding', '非 UTF-8'],
    ['is 1,204 MB of text with mixed line endings, which must be converted before loading; ' + tail, 'import.problem.convertLineEndings', '换行符混用'],
  ])('%s', (sentence, key, zhWords) => {
    const m = loadProblemMessage(sentence);
    expect(m?.key).toBe(key);
    expect(m?.params).toEqual({ n: '1,204', max: '512' });
    expect(say('en', m)).toContain('1,204 MB');
    const zh = say('zh-CN', m)!;
    expect(zh).toContain('1,204 MB');
    expect(zh).toContain('512 MB');
    expect(zh).toContain(zhWords);
    expect(zh).not.toMatch(/must be|converted/);
  });

  it('small sizes keep their decimal', () => {
    const m = loadProblemMessage('is 1.3 MB of text that is not UTF-8, which must be converted before loading; files over 1.0 MB are read only as UTF-8');
    expect(m?.params).toEqual({ n: '1.3', max: '1.0' });
  });
});
