// JetStream KV keys allow only `[-/_=.a-zA-Z0-9]`, and `.` separates subject tokens. Names from
// GitHub (`kubernetes.github.io`, `foo_bar`) are encoded reversibly: every other byte, `.` and `=`
// included, becomes `=XX`; parts are joined with `/`.

export function kvKeyPart(value: string): string {
  if (value === '') return '=';
  return [...Buffer.from(value, 'utf8')]
    .map((b) => {
      const ch = String.fromCharCode(b);
      return /[-_a-zA-Z0-9]/.test(ch) ? ch : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

export function kvKey(...parts: (string | number)[]): string {
  return parts.map((p) => kvKeyPart(String(p))).join('/');
}
