import { describe, expect, it } from 'vitest';
import { DbWorkerDied } from '../app/workers.ts';
import { loadFailureReason, undoFailureReason } from './import-session.svelte.ts';

describe('why a load ended without an outcome', () => {
  it('tells a dead DB worker, a file that can no longer be read and anything else apart', () => {
    expect(loadFailureReason(new DbWorkerDied())).toBe('died');
    expect(loadFailureReason(new DOMException('The requested file could not be read', 'NotReadableError'))).toBe('unreadable');
    expect(loadFailureReason(new DOMException('A requested file or directory could not be found', 'NotFoundError'))).toBe('unreadable');
    expect(loadFailureReason(new DOMException('aborted', 'AbortError'))).toBe('failed');
    expect(loadFailureReason(new Error('Binder Error: something'))).toBe('failed');
    // not the engine running out of memory, whatever its message says
    expect(loadFailureReason(new Error('the data engine stopped while working (out of memory or closed)'))).toBe('failed');
  });
});

describe('why "Restore the previous data" failed', () => {
  it('tells a dead DB worker and an engine with nothing to restore from anything else, never by the error text', () => {
    expect(undoFailureReason(new DbWorkerDied())).toBe('died');
    expect(undoFailureReason(new Error('Binder Error: something'))).toBe('failed');
    expect(undoFailureReason(new Error('the data engine stopped while working (out of memory or closed)'))).toBe('failed');
    expect(undoFailureReason('DbWorkerDied')).toBe('failed');
  });
});
