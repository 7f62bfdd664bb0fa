/** Runs of anything that is not a letter, a combining mark or a digit. */
const SEPARATORS = /[^\p{L}\p{M}\p{N}]+/gu;

/**
 * A goal's text in the form used for exact-match reuse and for the local embedder's features:
 * NFKC (full-width and compatibility forms folded), lower case, every run of punctuation and
 * whitespace replaced by one space, trimmed. `"Sum 19 and 23!"` and `"  sum 19, and 23"` are
 * both `"sum 19 and 23"`. Locale-independent, so the same on every machine.
 */
export function normalizeGoalText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(SEPARATORS, ' ').trim();
}
