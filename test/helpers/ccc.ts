// Reads the CCC CSV exports used by tests, with the project's own CSV reader (src/core/csv.ts).
// The files are CRLF, every string double-quoted, NA for missing, and a few stray Latin-1 bytes:
// decoding as latin1 never throws and keeps ASCII text intact.
import { existsSync, readFileSync } from 'node:fs';
import { parseCsv } from '../../src/core/csv.js';

/**
 * Read a CCC CSV file into objects keyed by the header row. Missing values stay as the literal
 * string "NA" (callers decide what NA means). Returns null when the file does not exist.
 */
export function readCccRows(file: string): Record<string, string>[] | null {
  if (!existsSync(file)) return null;
  const rows = parseCsv(readFileSync(file).toString('latin1'));
  const header = rows[0];
  if (!header) return [];
  const out: Record<string, string>[] = [];
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r]!;
    if (cells.length === 1 && !cells[0]) continue; // blank line
    const rec: Record<string, string> = {};
    for (let c = 0; c < header.length; c++) rec[header[c] ?? ''] = cells[c] ?? '';
    out.push(rec);
  }
  return out;
}
