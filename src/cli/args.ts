/**
 * Argument parsing for the CLI: `--name value`, `--name=value`, bare `--flag` for booleans, and
 * repeated options for lists (`--filter a=1 --filter b=2`). Options are declared per command
 * (CommandSpec.options), so a typo is a usage error, not a silently ignored option.
 */

type Value = string | number | boolean | string[];

export type OptionType = 'string' | 'number' | 'boolean' | 'list';

export interface OptionSpec {
  type: OptionType;
  /** One line for --help; say the unit and the default ("metres; default 1500"). */
  description: string;
  /** Shown in --help as the value placeholder, e.g. FILE, N, COL=VALUE. */
  placeholder?: string;
}

/** Wrong invocation: unknown option, missing value, bad number, missing input file. Exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export class CliArgs {
  constructor(
    readonly command: string,
    private readonly values: ReadonlyMap<string, Value>,
    readonly positionals: readonly string[] = [],
  ) {}

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** A string option, or `fallback` when absent. */
  string(name: string): string | undefined;
  string(name: string, fallback: string): string;
  string(name: string, fallback?: string): string | undefined {
    const v = this.values.get(name);
    return v === undefined ? fallback : String(v);
  }

  /** A string option that must be given. */
  requireString(name: string): string {
    const v = this.string(name);
    if (v === undefined || v === '') throw new UsageError(`${this.command}: --${name} is required`);
    return v;
  }

  /** A number option (already checked finite when parsed), or `fallback`. */
  number(name: string): number | undefined;
  number(name: string, fallback: number): number;
  number(name: string, fallback?: number): number | undefined {
    const v = this.values.get(name);
    return v === undefined ? fallback : (v as number);
  }

  /** An integer option within [min, max]. */
  integer(name: string, fallback: number, min = -Infinity, max = Infinity): number {
    const v = this.number(name, fallback);
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new UsageError(`${this.command}: --${name} must be a whole number${min > -Infinity ? ` ≥ ${min}` : ''}${max < Infinity ? ` and ≤ ${max}` : ''}, got ${v}`);
    }
    return v;
  }

  flag(name: string): boolean {
    return this.values.get(name) === true;
  }

  list(name: string): string[] {
    const v = this.values.get(name);
    return Array.isArray(v) ? v : [];
  }

  /** One of `choices`, or `fallback`. */
  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T;
  choice<T extends string>(name: string, choices: readonly T[]): T | undefined;
  choice<T extends string>(name: string, choices: readonly T[], fallback?: T): T | undefined {
    const v = this.string(name);
    if (v === undefined) return fallback;
    if (!choices.includes(v as T)) throw new UsageError(`${this.command}: --${name} must be one of ${choices.join(', ')}, got "${v}"`);
    return v as T;
  }
}

/** Parse `argv` (after the command name) against a command's options. */
export function parseArgs(command: string, argv: readonly string[], options: Record<string, OptionSpec>): CliArgs {
  const values = new Map<string, Value>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = options[name];
    if (!spec) {
      const known = Object.keys(options).map((o) => '--' + o).join(' ');
      throw new UsageError(`${command}: unknown option --${name} (options: ${known})`);
    }
    let raw: string | undefined = eq === -1 ? undefined : arg.slice(eq + 1);
    if (spec.type === 'boolean') {
      if (raw !== undefined && raw !== 'true' && raw !== 'false') throw new UsageError(`${command}: --${name} takes no value (or =true/=false)`);
      values.set(name, raw !== 'false');
      continue;
    }
    if (raw === undefined) {
      raw = argv[i + 1];
      if (raw === undefined || (raw.startsWith('--') && raw.length > 2)) throw new UsageError(`${command}: --${name} needs a value`);
      i++;
    }
    if (spec.type === 'number') {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${command}: --${name} expects a number, got "${raw}"`);
      values.set(name, n);
    } else if (spec.type === 'list') {
      values.set(name, [...((values.get(name) as string[] | undefined) ?? []), raw]);
    } else {
      if (values.has(name)) throw new UsageError(`${command}: --${name} given twice`);
      values.set(name, raw);
    }
  }
  return new CliArgs(command, values, positionals);
}

/** `--help` text of one command. */
export function usage(spec: { name: string; summary: string; options: Record<string, OptionSpec> }): string {
  const lines = [`usage: npm run --silent cli -- ${spec.name} [options]`, '', spec.summary, '', 'options:'];
  for (const [name, o] of Object.entries(spec.options)) {
    const ph = o.type === 'boolean' ? '' : ` ${o.placeholder ?? (o.type === 'number' ? 'N' : 'VALUE')}`;
    lines.push(`  --${name}${ph}`.padEnd(28) + o.description);
  }
  return lines.join('\n') + '\n';
}
