// Links from untrusted text: only absolute http(s) URLs survive (no javascript:, data:, file: and the like).

/** The absolute http(s) URL that `u` names, resolved against `base`; null for anything else. */
export function httpUrl(u: string | null | undefined, base: string | null = null): string | null {
  const s = u?.trim();
  if (!s) return null;
  try {
    const parsed = base ? new URL(s, base) : new URL(s);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}
