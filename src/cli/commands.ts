/**
 * The command table. To add a command, create src/cli/<name>.ts exporting `spec` and `run`
 * (see src/cli/types.ts for the contract) and add one line here. Modules load lazily so a
 * command's dependencies (h3-js, highs …) cost nothing to the others.
 */
import type { CommandModule } from './types.ts';

export const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  validate: () => import('./validate.ts'),
  risk: () => import('./risk.ts'),
  hotspots: () => import('./hotspots.ts'),
  sites: () => import('./sites.ts'),
  aggregate: () => import('./aggregate.ts'),
};
