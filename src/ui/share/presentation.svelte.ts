/**
 * Presentation mode: the window goes full screen (Fullscreen API when the browser allows
 * it; otherwise the app hides its own chrome, which it does in both cases), and the arrow
 * keys step through the saved snapshots, each restoring its view, tab and layers. Esc, or
 * leaving full screen, ends it.
 */
import { app } from '../app/app-state.svelte.ts';
import type { Snapshot } from '../../pipeline/share/snapshot-schema.ts';
import { listSnapshots } from './snapshot-store.ts';
import { applyState } from './share-state.svelte.ts';

class Presentation {
  active = $state(false);
  index = $state(0);
  snapshots = $state.raw<Snapshot[]>([]);
  /** Whether the browser granted full screen (false: chrome hidden only). */
  fullscreen = $state(false);
  problems = $state.raw<string[]>([]);
}

export const presentation = new Presentation();

function show(i: number): void {
  const s = presentation.snapshots[i];
  if (!s) return;
  presentation.index = i;
  presentation.problems = applyState(s.state).problems;
}

export async function startPresentation(): Promise<void> {
  presentation.snapshots = await listSnapshots().catch(() => []);
  presentation.active = true;
  app.presenting = true;
  if (presentation.snapshots.length) show(0);
  try {
    await document.documentElement.requestFullscreen?.({ navigationUI: 'hide' });
    presentation.fullscreen = document.fullscreenElement !== null;
  } catch {
    // Not allowed (no user gesture, iframe policy, headless): hiding chrome is the fallback.
    presentation.fullscreen = false;
  }
}

export function stopPresentation(): void {
  if (!presentation.active) return;
  presentation.active = false;
  presentation.fullscreen = false;
  app.presenting = false;
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
}

export function step(delta: number): void {
  const n = presentation.snapshots.length;
  if (!n) return;
  show(Math.max(0, Math.min(n - 1, presentation.index + delta)));
}

export function goTo(i: number): void {
  show(Math.max(0, Math.min(presentation.snapshots.length - 1, i)));
}

/** Keyboard while presenting; returns true when the key was used. */
export function presentationKey(e: KeyboardEvent): boolean {
  if (!presentation.active) return false;
  switch (e.key) {
    case 'ArrowRight':
    case 'ArrowDown':
    case 'PageDown':
    case ' ':
      step(1);
      return true;
    case 'ArrowLeft':
    case 'ArrowUp':
    case 'PageUp':
      step(-1);
      return true;
    case 'Home':
      goTo(0);
      return true;
    case 'End':
      goTo(presentation.snapshots.length - 1);
      return true;
    case 'Escape':
      stopPresentation();
      return true;
  }
  return false;
}

/** Leaving full screen (the browser's own Esc) ends the presentation too. */
export function onFullscreenChange(): void {
  if (presentation.active && presentation.fullscreen && !document.fullscreenElement) stopPresentation();
}
