// The webhook HMAC secret file (`--hmac-secret-file`), read as Prow reads it (pkg/github/hmac.go,
// pkg/config/secret): the file content, whitespace-trimmed, is either one raw token (the legacy
// global secret) or a YAML map `{ "org/repo" | "org" | "*": [ {value, created_at}, … ] }`.
// Only the most specific level present for a repo is used (repo > org > `*`); any token at that
// level may match, which is how secrets are rotated.
//
// Stricter than Prow on purpose: Prow treats any YAML it cannot read as a map as one raw token, so
// a typo in a map silently becomes a "token" nobody can match. Here a document that is a map must
// be a valid one, and a raw token must be a single line; anything else is an error naming the file.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** Tokens by level key (`org/repo`, `org` or `*`). A single raw token is stored under `*`. */
export interface HmacSecrets {
  readonly levels: ReadonlyMap<string, readonly string[]>;
}

export class HmacSecretsError extends Error {
  override readonly name = 'HmacSecretsError';
  readonly file: string;
  constructor(file: string, message: string, options?: ErrorOptions) {
    super(`hmac secret file ${file}: ${message}`, options);
    this.file = file;
  }
}

/** One global token: Prow's legacy format, equivalent to `{'*': [{value: token}]}`. */
export function singleTokenSecrets(token: string): HmacSecrets {
  return { levels: new Map([['*', [token]]]) };
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseLevels(doc: Obj, file: string): HmacSecrets {
  const levels = new Map<string, string[]>();
  for (const [key, list] of Object.entries(doc)) {
    if (!Array.isArray(list) || list.length === 0) {
      const want = 'want a non-empty list of {value, created_at}';
      throw new HmacSecretsError(file, `${JSON.stringify(key)}: ${want}`);
    }
    const tokens = list.map((entry, i) => {
      const value = isObject(entry) ? entry.value : undefined;
      if (typeof value !== 'string' || value.trim() === '') {
        const want = 'want a non-empty string "value"';
        throw new HmacSecretsError(file, `${JSON.stringify(key)}[${i}]: ${want}`);
      }
      return value;
    });
    levels.set(key, tokens);
  }
  if (levels.size === 0) throw new HmacSecretsError(file, 'the map configures no secrets');
  return { levels };
}

/** Parses the file's text; `file` only names it in errors. */
export function parseHmacSecrets(text: string, file: string): HmacSecrets {
  const trimmed = text.trim();
  if (trimmed === '') {
    throw new HmacSecretsError(file, 'empty: want a token or a YAML map of tokens');
  }
  let doc: unknown;
  try {
    doc = parse(trimmed);
  } catch {
    doc = undefined; // not YAML at all: may still be a raw token
  }
  if (isObject(doc)) return parseLevels(doc, file);
  if (trimmed.includes('\n')) {
    throw new HmacSecretsError(
      file,
      'neither a single-line token nor a YAML map ' +
        '{"org/repo" | "org" | "*": [{value, created_at}]}',
    );
  }
  // Like Prow, the raw bytes are the token (not the YAML reading of them: `0123` stays `0123`).
  return singleTokenSecrets(trimmed);
}

export function loadHmacSecrets(path: string): HmacSecrets {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new HmacSecretsError(path, `cannot read: ${(cause as Error).message}`, { cause });
  }
  return parseHmacSecrets(text, path);
}

/**
 * The tokens that may sign a payload for `orgRepo` (`org/repo`, or just `org` for org-level
 * events): the most specific level present, or undefined when no level applies.
 */
export function tokensFor(secrets: HmacSecrets, orgRepo: string): readonly string[] | undefined {
  const org = orgRepo.split('/')[0] ?? '';
  return secrets.levels.get(orgRepo) ?? secrets.levels.get(org) ?? secrets.levels.get('*');
}
