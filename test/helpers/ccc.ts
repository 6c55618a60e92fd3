// Small, dependency-free reader for the CCC CSV exports used by tests.
// The files are RFC 4180-ish: CRLF line ends, every string double-quoted, doubled quotes inside
// strings, bare numbers, NA for missing, and a few stray Latin-1 bytes. Decoding as latin1 never
// throws and keeps every byte as one character, so offsets and ASCII text stay intact.
import { existsSync, readFileSync } from 'node:fs';

/** Parse CSV text into rows of fields. Handles quotes, doubled quotes, CRLF/LF/CR and embedded newlines. */
export function parseCsvText(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // BOM
  while (i < n) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        continue;
      }
      // copy a run of ordinary characters at once
      let j = text.indexOf('"', i);
      if (j < 0) j = n;
      field += text.slice(i, j);
      i = j;
      continue;
    }
    if (c === '"') {
      inQuotes = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  // last record without a trailing newline
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Read a CCC CSV file into objects keyed by the header row. Missing values stay as the literal
 * string "NA" (callers decide what NA means). Returns null when the file does not exist.
 */
export function readCccRows(file: string): Record<string, string>[] | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file).toString('latin1');
  const rows = parseCsvText(text);
  const header = rows[0];
  if (!header) return [];
  const out: Record<string, string>[] = [];
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r];
    if (cells.length === 1 && cells[0] === '') continue; // blank line
    const rec: Record<string, string> = {};
    for (let c = 0; c < header.length; c++) rec[header[c]] = cells[c] ?? '';
    out.push(rec);
  }
  return out;
}
