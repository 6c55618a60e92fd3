// Bytes -> string. Order of authority: byte-order mark, the caller's content type, a <meta> charset in the
// first 4 KB, then a sniff (valid UTF-8, else windows-1252). Refuses empty, oversized and binary input.

import { IngestError } from './errors.js';

export const MAX_BYTES = 20 * 1024 * 1024;

const SNIFF_BYTES = 8 * 1024;
const META_SCAN_BYTES = 4 * 1024;

export interface Decoded {
  text: string;
  /** the WHATWG encoding name actually used, e.g. "utf-8", "windows-1252" */
  encoding: string;
  /** how the encoding was chosen */
  encodingSource: 'bom' | 'content-type' | 'meta' | 'sniff';
  flags: string[];
}

/** Signatures of common binary formats, checked before anything is decoded. */
const MAGIC: Array<[string, number[]]> = [
  ['PDF', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['ZIP (or docx/xlsx/epub)', [0x50, 0x4b, 0x03, 0x04]],
  ['gzip', [0x1f, 0x8b]],
  ['PNG', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG', [0xff, 0xd8, 0xff]],
  ['GIF', [0x47, 0x49, 0x46, 0x38]],
  ['WebP/RIFF', [0x52, 0x49, 0x46, 0x46]],
  ['ELF executable', [0x7f, 0x45, 0x4c, 0x46]],
  ['7-Zip', [0x37, 0x7a, 0xbc, 0xaf]],
  ['old Word/Excel (OLE)', [0xd0, 0xcf, 0x11, 0xe0]],
];

export function decode(bytes: Uint8Array, contentType?: string | null): Decoded {
  if (bytes.length === 0) throw new IngestError('empty', 'file is empty (0 bytes)');
  if (bytes.length > MAX_BYTES) {
    throw new IngestError(
      'too_large',
      `file is too large: ${(bytes.length / 1048576).toFixed(1)} MB (limit ${MAX_BYTES / 1048576} MB)`,
    );
  }
  for (const [format, sig] of MAGIC) {
    if (bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b)) {
      throw new IngestError('binary', `file is binary (${format}), not text or HTML`);
    }
  }

  const decoded = decodeBytes(bytes, contentType ?? null);
  rejectBinary(decoded.text);
  if (!/[^\s\u00a0\ufeff\u200b]/.test(decoded.text)) {
    throw new IngestError('empty', `file contains only whitespace (${bytes.length} bytes)`);
  }
  return decoded;
}

function decodeBytes(bytes: Uint8Array, contentType: string | null): Decoded {
  // 1. byte-order mark
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8(bytes.subarray(3), 'bom');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return withDecoder('utf-16le', bytes.subarray(2), 'bom');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return withDecoder('utf-16be', bytes.subarray(2), 'bom');

  // UTF-16 without a BOM: ASCII text with a NUL in every other byte.
  const utf16 = sniffUtf16(bytes);
  if (utf16) return withDecoder(utf16, bytes, 'sniff');

  // 2. the caller's content type, 3. a <meta> charset near the top
  for (const [label, source] of [
    [charsetFromContentType(contentType), 'content-type'],
    [charsetFromMeta(bytes), 'meta'],
  ] as const) {
    const encoding = label ? encodingFor(label) : null;
    if (!encoding) continue; // unknown label: fall through to the next source, then the sniff
    // A page cannot really be UTF-16 if its own ASCII meta tag was readable (WHATWG rule).
    if (encoding.startsWith('utf-16')) return utf8(bytes, source);
    if (encoding === 'utf-8') return utf8(bytes, source);
    return withDecoder(encoding, bytes, source);
  }

  // 4. sniff: valid UTF-8, or mostly UTF-8 with a few bad bytes, else windows-1252.
  const { valid, multibyte, invalid } = scanUtf8(bytes);
  if (valid || multibyte > invalid) return utf8(bytes, 'sniff');
  const legacy = withDecoder('windows-1252', bytes, 'sniff');
  legacy.flags.push('encoding_guessed');
  return legacy;
}

// one decoder each, made once: decode() without {stream: true} keeps no state between calls
const UTF8_FATAL = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const UTF8_LENIENT = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function utf8(bytes: Uint8Array, source: Decoded['encodingSource']): Decoded {
  const flags: string[] = [];
  let text: string;
  try {
    text = UTF8_FATAL.decode(bytes);
  } catch {
    text = UTF8_LENIENT.decode(bytes);
    flags.push('invalid_utf8');
  }
  return { text, encoding: 'utf-8', encodingSource: source, flags };
}

function withDecoder(encoding: string, bytes: Uint8Array, source: Decoded['encodingSource']): Decoded {
  const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
  return { text, encoding, encodingSource: source, flags: [] };
}

/** The WHATWG name for a charset label, or null when the label is unknown. */
export function encodingFor(label: string): string | null {
  try {
    return new TextDecoder(label.trim().toLowerCase()).encoding;
  } catch {
    return null;
  }
}

export function charsetFromContentType(contentType: string | null): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType);
  return m ? m[1] : null;
}

/** `<meta charset="x">` or `<meta http-equiv="Content-Type" content="text/html; charset=x">` in the first 4 KB. */
export function charsetFromMeta(bytes: Uint8Array): string | null {
  // (no "<" byte, no tag: plain text is spared decoding its head; windows-1252 maps no other byte to "<")
  if (bytes.subarray(0, META_SCAN_BYTES).indexOf(0x3c) < 0) return null;
  const head = new TextDecoder('windows-1252').decode(bytes.subarray(0, META_SCAN_BYTES));
  const metaTag = /<meta\b[^>]*>/gi;
  for (let m = metaTag.exec(head); m; m = metaTag.exec(head)) {
    const tag = m[0];
    const direct = /\bcharset\s*=\s*["']?\s*([^"'\s/>;]+)/i.exec(tag);
    if (direct) return direct[1];
  }
  return null;
}

/** Counts valid multi-byte sequences and invalid bytes (without decoding). */
function scanUtf8(bytes: Uint8Array): { valid: boolean; multibyte: number; invalid: number } {
  let multibyte = 0;
  let invalid = 0;
  const n = bytes.length;
  for (let i = 0; i < n; ) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k++) ok = i + k < n && (bytes[i + k] & 0xc0) === 0x80;
    if (ok) {
      multibyte++;
      i += need + 1;
    } else {
      invalid++;
      i++;
    }
  }
  return { valid: invalid === 0, multibyte, invalid };
}

function sniffUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, SNIFF_BYTES) & ~1;
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.7 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.7 && oddNul < pairs * 0.05) return 'utf-16be';
  return null;
}

/** NUL characters, or a high share of control / replacement characters in the first 8 KB, mean binary. */
function rejectBinary(text: string): void {
  const n = Math.min(text.length, SNIFF_BYTES);
  let bad = 0;
  let replacement = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) throw new IngestError('binary', 'file is binary: it contains NUL bytes');
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || (c >= 0x7f && c <= 0x9f)) bad++;
    else if (c === 0xfffd) replacement++;
  }
  if (n >= 16 && (bad + replacement) / n > 0.1) {
    const pct = Math.round(((bad + replacement) * 100) / n);
    throw new IngestError(
      'binary',
      `file looks binary: ${pct}% of the first ${n} characters are control or undecodable characters`,
    );
  }
}
