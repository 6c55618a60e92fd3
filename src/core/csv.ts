// CSV reading through csv-parse (RFC 4180: quoted fields, doubled quotes, CRLF or LF, newlines inside quotes),
// configured as our data needs it: a leading BOM ignored, rows of any length, a stray quote inside an unquoted
// cell kept as written, and NA-like words turned into null only where they stand unquoted.
// No I/O: callers pass text (see decodeLenientUtf8 for bytes that are mostly UTF-8).
import { parse } from 'csv-parse/sync';

export interface CsvOptions {
  /** field separator, default "," */
  separator?: string;
  /** unquoted cells equal to one of these become null (e.g. ["NA"]); quoted cells never do */
  naValues?: string[];
}

export type CsvCell = string | null;

/** Parses CSV text into rows of cells. A leading BOM is ignored; a trailing newline does not make an empty row. */
export function parseCsv(text: string, options: CsvOptions = {}): CsvCell[][] {
  const na = new Set(options.naValues ?? []);
  return parse(text, {
    delimiter: options.separator ?? ',',
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    cast: (value: string, ctx: { quoting: boolean }) => (!ctx.quoting && na.has(value) ? null : value),
  }) as CsvCell[][];
}

/** Parses CSV with a header row into objects keyed by column name. */
export function parseCsvRecords(text: string, options: CsvOptions = {}): Array<Record<string, CsvCell>> {
  const rows = parseCsv(text, options);
  const header = (rows[0] ?? []).map((h) => h ?? '');
  const out: Array<Record<string, CsvCell>> = [];
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r]!;
    const rec: Record<string, CsvCell> = {};
    for (let c = 0; c < header.length; c++) rec[header[c]!] = c < cells.length ? cells[c]! : null;
    out.push(rec);
  }
  return out;
}

/**
 * Decodes bytes that are UTF-8 except for a few stray single-byte (Latin-1) characters:
 * valid UTF-8 sequences decode normally, any other byte is taken as Latin-1.
 */
export function decodeLenientUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // fall through to the byte-by-byte decoder
  }
  let out = '';
  let i = 0;
  const n = bytes.length;
  const cont = (k: number): boolean => k < n && (bytes[k]! & 0xc0) === 0x80;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
    } else if (b >= 0xc2 && b <= 0xdf && cont(i + 1)) {
      out += String.fromCharCode(((b & 0x1f) << 6) | (bytes[i + 1]! & 0x3f));
      i += 2;
    } else if (b >= 0xe0 && b <= 0xef && cont(i + 1) && cont(i + 2)) {
      const cp = ((b & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
      if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) {
        out += String.fromCharCode(b);
        i++;
      } else {
        out += String.fromCharCode(cp);
        i += 3;
      }
    } else if (b >= 0xf0 && b <= 0xf4 && cont(i + 1) && cont(i + 2) && cont(i + 3)) {
      const cp =
        ((b & 0x07) << 18) | ((bytes[i + 1]! & 0x3f) << 12) | ((bytes[i + 2]! & 0x3f) << 6) | (bytes[i + 3]! & 0x3f);
      if (cp < 0x10000 || cp > 0x10ffff) {
        out += String.fromCharCode(b);
        i++;
      } else {
        out += String.fromCodePoint(cp);
        i += 4;
      }
    } else {
      out += String.fromCharCode(b); // Latin-1
      i++;
    }
  }
  return out;
}
