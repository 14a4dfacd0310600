// Command-line options as groups (Prow's pkg/flagutil: `OptionGroup { AddFlags; Validate }`): a
// group owns a few flags, their help, their defaults and their validation, and yields typed
// options. A service composes the groups it uses; any other flag is refused (exit 2), and its
// --help is generated from the same groups, so it lists exactly the flags the service reads.
import { parseArgs } from 'node:util';

/** A bad or missing flag: one line naming the flag, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface Flag {
  /** Without the leading `--`: Prow's name where Prow has one. */
  name: string;
  /** What the value is, for help (`FILE`, `URL`, `N`); absent for a boolean. */
  arg?: string;
  /** `--name` alone means true and `--name=false` false, as Go's flag package reads booleans. */
  boolean?: true;
  /** May be given more than once (each value kept, in order). */
  multiple?: true;
  /** The default as shown in help. */
  default?: string;
  help: string;
}

/** The flags of a command line as given: string values, lists for `multiple` flags. */
export type RawFlags = Readonly<Record<string, string | string[] | undefined>>;

export interface OptionGroup<T extends object = object> {
  /** The heading of the group's flags in --help. */
  title: string;
  flags: readonly Flag[];
  /**
   * Validates and defaults this group's flags. `raw` holds every flag given on the command line
   * (a group may read another's, e.g. dry-run's default follows the GitHub credentials).
   */
  parse(raw: RawFlags): T;
}

/** The options a list of groups yields: the intersection of what each group's parse returns. */
export type OptionsOf<G extends readonly OptionGroup[]> = UnionToIntersection<
  ReturnType<G[number]['parse']>
>;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (
  x: infer I,
) => void
  ? I
  : never;

/** One flag as given on the command line (`--name=value`, `--name value` or a bare boolean). */
export interface FlagToken {
  name: string;
  value?: string;
}

function spec(groups: readonly OptionGroup[]) {
  const options: Record<
    string,
    { type: 'string' | 'boolean'; multiple?: boolean; short?: string }
  > = { help: { type: 'boolean', short: 'h' } };
  for (const f of groups.flatMap((g) => g.flags)) {
    options[f.name] = { type: 'string', ...(f.multiple ? { multiple: true } : {}) };
  }
  return options;
}

function booleansAsValues(argv: readonly string[], groups: readonly OptionGroup[]): string[] {
  const booleans = new Set(
    groups.flatMap((g) => g.flags.filter((f) => f.boolean)).map((f) => f.name),
  );
  return argv.map((a) => (a.startsWith('--') && booleans.has(a.slice(2)) ? `${a}=true` : a));
}

function usageError(err: unknown): UsageError {
  return new UsageError(
    (err as Error).message.split('\n')[0]!.replace(/^Unknown option/, 'unknown flag'),
  );
}

/** The flags of `argv` known to any of `groups`, in order, as given (values unchecked). */
export function flagTokens(argv: readonly string[], groups: readonly OptionGroup[]): FlagToken[] {
  try {
    const { tokens } = parseArgs({
      args: booleansAsValues(argv, groups),
      options: spec(groups),
      strict: true,
      allowPositionals: true,
      tokens: true,
    });
    return tokens.flatMap((t) => (t.kind === 'option' ? [{ name: t.name, value: t.value }] : []));
  } catch (err) {
    throw usageError(err);
  }
}

export interface ParseFlagsOptions {
  /** Who is parsing, for the messages (`plank does not use this flag`). */
  command: string;
  /** Every flag jetprow knows: a known flag outside `groups` is refused by name. */
  known: readonly OptionGroup[];
  /** Flag names that must be given. */
  required?: readonly string[];
}

/**
 * Parses `argv` with `groups`: a flag of `known` outside `groups` is refused ("does not use this
 * flag"), an unknown one too ("unknown flag"), a missing required flag is named, and each group
 * validates its own. `--dry-run=false` is accepted by a command without a dry-run mode: it is that
 * command's behaviour (it writes nothing to GitHub); `--dry-run` is refused there.
 */
export function parseFlags<const G extends readonly OptionGroup[]>(
  argv: readonly string[],
  groups: G,
  opts: ParseFlagsOptions,
): { help: true } | ({ help: false } & OptionsOf<G>) {
  const mine = new Set(groups.flatMap((g) => g.flags.map((f) => f.name)));
  const tokens = flagTokens(argv, [...opts.known, ...groups]);
  const given = tokens.filter((t) => t.name !== 'help');
  if (tokens.some((t) => t.name === 'help')) return { help: true };
  for (const t of given) {
    if (mine.has(t.name)) continue;
    if (t.name === 'dry-run') {
      if (t.value === 'false') continue;
      throw new UsageError(
        `--dry-run: ${opts.command} has no dry-run mode (only reporter writes to GitHub; run reporter with --dry-run)`,
      );
    }
    throw new UsageError(`--${t.name}: ${opts.command} does not use this flag`);
  }
  let values: RawFlags;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: booleansAsValues(
        argv.filter((a) => a !== '--dry-run=false' || mine.has('dry-run')),
        groups,
      ),
      options: spec(groups),
      strict: true,
      allowPositionals: true,
    }) as { values: RawFlags; positionals: string[] });
  } catch (err) {
    throw usageError(err);
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  // Values first (a bad value is the clearer error), then what is missing.
  const parsed: object = Object.assign({ help: false }, ...groups.map((g) => g.parse(values)));
  for (const name of opts.required ?? []) {
    if (values[name] === undefined) throw new UsageError(`--${name} is required`);
  }
  return parsed as { help: false } & OptionsOf<G>;
}

export interface UsageSpec {
  command: string;
  groups: readonly OptionGroup[];
  required?: readonly string[];
  /** What the command does: a paragraph under the synopsis. */
  summary: string;
  /** Appended to a flag's help line (e.g. which services `all` forwards it to). */
  note?: (flag: Flag) => string | undefined;
}

/** `text` in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

const synopsisArg = (f: Flag): string => (f.arg ? ` ${f.arg}` : '');

/** --help from the groups: the synopsis with the required flags, the summary, each group's flags. */
export function usageText(u: UsageSpec): string {
  const flags = u.groups.flatMap((g) => g.flags);
  const required = (u.required ?? []).map((name) => flags.find((f) => f.name === name)!);
  const synopsis = [
    `Usage: jetprow ${u.command}`,
    ...required.map((f) => `--${f.name}${synopsisArg(f)}`),
    '[flags]',
  ].join(' ');
  const left = (f: Flag) => `  --${f.name}${f.boolean ? '[=false]' : synopsisArg(f)}`;
  const width = Math.min(40, Math.max(...flags.map((f) => left(f).length)) + 2);
  const lines = [synopsis, '', u.summary.trim(), ''];
  for (const g of u.groups) {
    if (g.flags.length === 0) continue;
    lines.push(`${g.title}:`);
    for (const f of g.flags) {
      const extra = [
        u.required?.includes(f.name) ? 'required' : f.default ? `default ${f.default}` : '',
        u.note?.(f) ?? '',
      ]
        .filter(Boolean)
        .join('; ');
      const help = wrap(`${f.help}${extra ? ` (${extra})` : ''}`, 100 - width);
      const l = left(f);
      const indent = ' '.repeat(width);
      const first = l.length >= width ? `${l}\n${indent}` : l.padEnd(width);
      lines.push(first + help.join(`\n${indent}`));
    }
    lines.push('');
  }
  return lines.join('\n');
}

// Value checks the groups share. Each names its flag in the error.

export function str(raw: RawFlags, name: string): string | undefined {
  const v = raw[name];
  return Array.isArray(v) ? v.at(-1) : v;
}

export function list(raw: RawFlags, name: string): string[] | undefined {
  const v = raw[name];
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

export function port(raw: RawFlags, name: string, def: number): number {
  const v = str(raw, name);
  if (v === undefined) return def;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(`--${name}: "${v}" is not a port number (0-65535)`);
  }
  return n;
}

/** `--name` alone (or `=true`) means true; `=false` false; undefined when not given. */
export function bool(raw: RawFlags, name: string): boolean | undefined {
  const v = str(raw, name);
  if (v === undefined) return undefined;
  if (v === '' || v === 'true') return true;
  if (v === 'false') return false;
  throw new UsageError(`--${name}: expected true or false, got "${v}"`);
}
