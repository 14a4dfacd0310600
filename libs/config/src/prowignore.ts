// `.prowignore` files, matched the way Prow matches them (denormal/go-gitignore's repository
// matcher, `gitignore.NewRepositoryWithFile(jobConfigDir, ".prowignore")`):
// - every directory under the job config root may hold a `.prowignore`; its patterns are
//   relative to that directory;
// - a path is ignored if its parent directory is ignored (checked recursively first);
// - otherwise the `.prowignore` nearest the path wins over those above it, and within one file the
//   last matching pattern wins; `!pattern` re-includes;
// - `name` patterns (no slash) match the last path component; `/name` is anchored to the ignore
//   file's directory; `a/b` patterns match the whole relative path; `dir/` matches directories
//   only; `**` matches any number of components.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PROW_IGNORE_FILE = '.prowignore';

interface Pattern {
  source: string;
  negated: boolean;
  directoryOnly: boolean;
  match(path: string): boolean;
}

/** fnmatch(3) without FNM_PERIOD; with `pathname`, wildcards never match `/`. */
function fnmatchRegExp(glob: string, pathname: boolean): RegExp {
  const any = pathname ? '[^/]' : '.';
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      while (glob[i + 1] === '*') i++;
      re += `${any}*`;
    } else if (c === '?') {
      re += any;
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, end);
      let negate = false;
      if (body[0] === '!' || body[0] === '^') {
        negate = true;
        body = body.slice(1);
      }
      body = body.replace(/[\\\]]/g, (m) => `\\${m}`);
      re += `[${negate ? '^' : ''}${pathname && negate ? '/' : ''}${body}]`;
      i = end;
    } else if (c === '\\' && i + 1 < glob.length) {
      i++;
      re += (glob[i] as string).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else {
      re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`, 's');
}

export function parsePattern(line: string): Pattern | undefined {
  let s = line.replace(/\r$/, '');
  // Trailing spaces are ignored unless escaped with a backslash.
  s = s.replace(/(?<!\\)\s+$/, '');
  if (s === '' || s.startsWith('#')) return undefined;
  let negated = false;
  if (s.startsWith('!')) {
    negated = true;
    s = s.slice(1);
  } else if (s.startsWith('\\!') || s.startsWith('\\#')) {
    s = s.slice(1);
  }
  let anchored = false;
  if (s.startsWith('/')) {
    anchored = true;
    s = s.slice(1);
  }
  let directoryOnly = false;
  if (s.endsWith('/')) {
    directoryOnly = true;
    s = s.slice(0, -1);
  }
  if (s === '') return undefined;
  const source = line.trim();
  const parts = s.split('/');
  if (parts.includes('**')) {
    const tokens = parts.map((p) => (p === '**' ? null : fnmatchRegExp(p, true)));
    const matchParts = (path: string[], t: number): boolean => {
      if (t === tokens.length) return path.length === 0;
      const tok = tokens[t];
      if (tok === null) {
        return matchParts(path, t + 1) || (path.length > 0 && matchParts(path.slice(1), t));
      }
      const [head, ...rest] = path;
      return tok !== undefined && head !== undefined && tok.test(head) && matchParts(rest, t + 1);
    };
    return { source, negated, directoryOnly, match: (path) => matchParts(path.split('/'), 0) };
  }
  if (parts.length > 1) {
    const re = fnmatchRegExp(s, true);
    return { source, negated, directoryOnly, match: (path) => re.test(path) };
  }
  if (anchored) {
    const re = fnmatchRegExp(s, false);
    return { source, negated, directoryOnly, match: (path) => re.test(path) };
  }
  const re = fnmatchRegExp(s, false);
  return {
    source,
    negated,
    directoryOnly,
    match: (path) => re.test(path.slice(path.lastIndexOf('/') + 1)),
  };
}

export function parseIgnoreFile(text: string): Pattern[] {
  const out: Pattern[] = [];
  for (const line of text.split('\n')) {
    const p = parsePattern(line);
    if (p) out.push(p);
  }
  return out;
}

export interface IgnoreMatch {
  ignored: boolean;
  /** The pattern that decided, e.g. `subdir/`, and the `.prowignore` it came from. */
  pattern: string;
  file: string;
}

/** Matches paths relative to `root` (slash-separated) against every `.prowignore` below root. */
export class ProwIgnore {
  readonly #root: string;
  readonly #files = new Map<string, Pattern[]>();

  constructor(root: string) {
    this.#root = root;
  }

  #patterns(dir: string): Pattern[] {
    let p = this.#files.get(dir);
    if (p === undefined) {
      try {
        p = parseIgnoreFile(readFileSync(join(this.#root, dir, PROW_IGNORE_FILE), 'utf8'));
      } catch {
        p = [];
      }
      this.#files.set(dir, p);
    }
    return p;
  }

  /** `rel` is relative to root, using `/`. */
  match(rel: string, isDir: boolean): IgnoreMatch | undefined {
    if (rel === '' || rel === '.') return undefined;
    const cut = rel.lastIndexOf('/');
    const parent = cut < 0 ? '' : rel.slice(0, cut);
    let local = rel.slice(cut + 1);
    if (parent !== '') {
      const m = this.match(parent, true);
      if (m?.ignored) return m;
    }
    let dir = parent;
    for (;;) {
      const patterns = this.#patterns(dir);
      for (let i = patterns.length - 1; i >= 0; i--) {
        const p = patterns[i] as Pattern;
        if (p.directoryOnly && !isDir) continue;
        if (p.match(local)) {
          const file = join(this.#root, dir, PROW_IGNORE_FILE);
          return { ignored: !p.negated, pattern: p.source, file };
        }
      }
      if (dir === '') return undefined;
      const up = dir.lastIndexOf('/');
      local = `${dir.slice(up + 1)}/${local}`;
      dir = up < 0 ? '' : dir.slice(0, up);
    }
  }

  ignores(rel: string, isDir = false): boolean {
    return this.match(rel, isDir)?.ignored ?? false;
  }
}
