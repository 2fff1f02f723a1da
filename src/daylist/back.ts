/**
 * Where a form posted from the day list returns: only a local /day-list path (with its query), so
 * a crafted `back` can never send the browser to another site (no open redirect).
 */
const dayListPath = /^\/day-list(\?[A-Za-z0-9_.~%=&+-]*)?$/;

/** The `back` value when it is a local day list URL, else null. */
export function dayListBack(value: unknown): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v !== 'string' || v.length > 500) return null;
  return dayListPath.test(v) ? v : null;
}
