// Go's net/url.Parse, as far as config validation needs it: whether a string parses, and Go's
// error text when it does not (`parse "x": invalid URL escape "%zz"`). Prow checks
// `plank.job_url_prefix_config` values, `clone_uri`, `gerrit.deck_url`, `github.link_url` and
// `status_error_link` with it. Go's parser is lenient: most strings are valid (relative) URLs.

const SCHEME_CHAR = /[A-Za-z0-9+.-]/;
const HEX = /^[0-9A-Fa-f]{2}$/;

/** Go's `getScheme`: the scheme and the rest, or an error. */
function getScheme(raw: string): { scheme: string; rest: string } | { error: string } {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (/[A-Za-z]/.test(c)) continue;
    if (SCHEME_CHAR.test(c)) {
      if (i === 0) return { scheme: '', rest: raw };
      continue;
    }
    if (c === ':') {
      if (i === 0) return { error: 'missing protocol scheme' };
      return { scheme: raw.slice(0, i), rest: raw.slice(i + 1) };
    }
    // An invalid character: no valid scheme, the whole string is a path.
    return { scheme: '', rest: raw };
  }
  return { scheme: '', rest: raw };
}

/** Go's `unescape` in path/fragment mode: every `%` must start a two-digit hex escape. */
function badEscape(s: string): string | undefined {
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '%') continue;
    const hex = s.slice(i + 1, i + 3);
    if (!HEX.test(hex)) return s.slice(i, i + 3);
    i += 2;
  }
  return undefined;
}

/** Go's `validOptionalPort`. */
function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  if (port[0] !== ':') return false;
  return /^[0-9]*$/.test(port.slice(1));
}

/** Go's `validUserinfo`. */
function validUserinfo(s: string): boolean {
  return /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(s);
}

/** Go's `shouldEscape(c, encodeHost)` is false for these bytes (plus any non-ASCII byte). */
function validHostChar(c: string): boolean {
  return /[A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"%]/.test(c) || c.charCodeAt(0) >= 0x80;
}

function parseHost(host: string): string | undefined {
  if (host.startsWith('[')) {
    const end = host.lastIndexOf(']');
    if (end < 0) return "missing ']' in host";
    const colonPort = host.slice(end + 1);
    if (!validOptionalPort(colonPort))
      return `invalid port ${JSON.stringify(colonPort)} after host`;
    return undefined;
  }
  const i = host.lastIndexOf(':');
  if (i >= 0) {
    const colonPort = host.slice(i);
    if (!validOptionalPort(colonPort))
      return `invalid port ${JSON.stringify(colonPort)} after host`;
  }
  const esc = badEscape(host);
  if (esc !== undefined) return `invalid URL escape ${JSON.stringify(esc)}`;
  for (const c of host) {
    if (!validHostChar(c)) return `invalid character ${JSON.stringify(c)} in host name`;
  }
  return undefined;
}

function parseAuthority(authority: string): string | undefined {
  const at = authority.lastIndexOf('@');
  const host = at < 0 ? authority : authority.slice(at + 1);
  const hostError = parseHost(host);
  if (hostError) return hostError;
  if (at >= 0 && !validUserinfo(authority.slice(0, at))) {
    return 'net/url: invalid userinfo';
  }
  return undefined;
}

function parseNoFragment(raw: string): string | undefined {
  if (raw === '*') return undefined;
  const s = getScheme(raw);
  if ('error' in s) return s.error;
  let rest = s.rest;
  const q = rest.indexOf('?');
  if (q >= 0) rest = rest.slice(0, q);
  if (!rest.startsWith('/')) {
    if (s.scheme !== '') return undefined; // opaque: mailto:x
    const colon = rest.indexOf(':');
    const slash = rest.indexOf('/');
    if (colon >= 0 && (slash < 0 || colon < slash)) {
      return 'first path segment in URL cannot contain colon';
    }
  }
  if ((s.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    const afterSlashes = rest.slice(2);
    const slash = afterSlashes.indexOf('/');
    const authority = slash < 0 ? afterSlashes : afterSlashes.slice(0, slash);
    const authError = parseAuthority(authority);
    if (authError) return authError;
    rest = slash < 0 ? '' : afterSlashes.slice(slash);
  }
  const esc = badEscape(rest);
  if (esc !== undefined) return `invalid URL escape ${JSON.stringify(esc)}`;
  return undefined;
}

/** url.Parse: undefined when `raw` parses, else Go's error (`parse "raw": reason`). */
export function goUrlParseError(raw: string): string | undefined {
  const quoted = JSON.stringify(raw);
  if (/[\x00-\x1f\x7f]/.test(raw))
    return `parse ${quoted}: net/url: invalid control character in URL`;
  const hash = raw.indexOf('#');
  const main = hash < 0 ? raw : raw.slice(0, hash);
  const reason = parseNoFragment(main);
  if (reason) return `parse ${quoted}: ${reason}`;
  if (hash >= 0) {
    const esc = badEscape(raw.slice(hash + 1));
    if (esc !== undefined) return `parse ${quoted}: invalid URL escape ${JSON.stringify(esc)}`;
  }
  return undefined;
}

/** The scheme url.Parse finds (lower-cased), '' when none. */
export function goUrlScheme(raw: string): string {
  const s = getScheme(raw);
  return 'error' in s ? '' : s.scheme.toLowerCase();
}
