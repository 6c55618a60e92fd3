// Content negotiation shared by the API and the static files.

/** Whether an Accept-Encoding header admits gzip (and does not refuse it with q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  const m = /(?:^|,)\s*(gzip|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?/i.exec(header ?? '');
  return m !== null && (m[2] === undefined || Number(m[2]) > 0);
}
