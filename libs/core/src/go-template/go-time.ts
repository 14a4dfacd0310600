// metav1.Time in templates: time.Time.String() ("2006-01-02 15:04:05.999999999 -0700 MST") of
// the RFC 3339 timestamp, in UTC (Prow's containers run with TZ unset, so Local is UTC).

/** The fractional seconds written in an RFC 3339 timestamp, as nanosecond digits. */
function nanos(rfc3339: string): string {
  const m = /T\d{2}:\d{2}:\d{2}\.(\d+)/.exec(rfc3339);
  return m ? m[1]!.slice(0, 9).replace(/0+$/, '') : '';
}

export function formatGoTime(rfc3339: string | undefined): string {
  if (!rfc3339) return '0001-01-01 00:00:00 +0000 UTC';
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return '0001-01-01 00:00:00 +0000 UTC';
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const date = `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`;
  const time = `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  const frac = nanos(rfc3339);
  return `${date} ${time}${frac ? `.${frac}` : ''} +0000 UTC`;
}

/** time.Time.Unix(): seconds since the epoch (-62135596800 for the zero time). */
export function unixSeconds(rfc3339: string | undefined): number {
  if (!rfc3339) return -62135596800;
  return Math.floor(new Date(rfc3339).getTime() / 1000);
}
