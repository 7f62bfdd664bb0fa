import { Embedder } from './embedder';
import { fmix32, fnv1a, fnv1aUnit, FNV_OFFSET_BASIS } from './feature-hash';
import { normalizeGoalText } from './normalize-goal-text';
import { normalizeInPlace } from './unit-vector';

export const LOCAL_HASH_MODEL = 'local-hash-v1';
export const LOCAL_HASH_DEFAULT_DIMENSIONS = 384;
const MIN_DIMENSIONS = 16;
const MAX_DIMENSIONS = 16_384;

/**
 * Feature kinds: each is hashed with its own tag (so `ab` the word and `ab` the trigram are
 * different features) and weighted on its own. The weights were chosen with the memory-search
 * bench's quality check (template siblings near, other templates far).
 */
const WORD = 0;
const LITERAL = 1;
const BIGRAM = 2;
const CHARS = 3;
const KIND_WEIGHTS = [1, 0.5, 1, 0.35] as const;
const WORD_SEED = fnv1aUnit(FNV_OFFSET_BASIS, WORD);
const LITERAL_SEED = fnv1aUnit(FNV_OFFSET_BASIS, LITERAL);
const BIGRAM_SEED = fnv1aUnit(FNV_OFFSET_BASIS, BIGRAM);
const CHARS_SEED = fnv1aUnit(FNV_OFFSET_BASIS, CHARS);

/** Stands for a run of digits in a word's shape; punctuation never survives normalisation, so no word contains it. */
const NUMBER_PLACEHOLDER = '#';
const HAS_DIGIT = /\p{N}/u;
const DIGIT_RUNS = /\p{N}+/gu;
const CHAR_GRAM_SIZES = [3, 4] as const;

export interface LocalHashEmbedderOptions {
  /** Vector length; 384 unless given. Other lengths make another model name (`local-hash-v1-256d`). */
  readonly dimensions?: number;
}

/**
 * A deterministic text embedding that needs no model and no network, so similarity search works
 * offline: feature hashing of the normalised goal's words, word bigrams and character 3- and
 * 4-grams of each word (with `<` `>` boundary markers), with sublinear term frequency
 * (1 + ln tf), a sign bit per feature, and L2 normalisation.
 *
 * Numbers: a word's shape replaces each run of digits by `#`. Unigrams, bigrams and character
 * n-grams are taken from shapes, so goals from one template ("sum 19 and 23", "sum 7 and 8")
 * share nearly all their features; the literal digits are an extra, lighter feature, so the
 * same goal with the same numbers still scores highest.
 *
 * Lexical, not semantic: "add" and "sum" are unrelated words to it. Configure an embeddings
 * model for that.
 */
export class LocalHashEmbedder implements Embedder {
  readonly model: string;
  readonly dimensions: number;
  /** Term frequencies of the text being embedded, reused across calls. */
  private readonly counts = new FeatureCounts();

  constructor(options: LocalHashEmbedderOptions = {}) {
    const dimensions = options.dimensions ?? LOCAL_HASH_DEFAULT_DIMENSIONS;
    if (!Number.isInteger(dimensions) || dimensions < MIN_DIMENSIONS || dimensions > MAX_DIMENSIONS) {
      throw new RangeError(`LocalHashEmbedder dimensions must be an integer in ${MIN_DIMENSIONS}..${MAX_DIMENSIONS}, got ${dimensions}`);
    }
    this.dimensions = dimensions;
    this.model = dimensions === LOCAL_HASH_DEFAULT_DIMENSIONS ? LOCAL_HASH_MODEL : `${LOCAL_HASH_MODEL}-${dimensions}d`;
  }

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    return Promise.resolve(texts.map((text) => this.embedText(text)));
  }

  /** One text's vector, synchronously. */
  embedText(text: string): Float32Array {
    const counts = this.counts;
    counts.clear();
    const normalized = normalizeGoalText(text);
    const words = normalized === '' ? [] : normalized.split(' ');
    let previous: string | undefined;
    for (const word of words) {
      const shape = HAS_DIGIT.test(word) ? word.replace(DIGIT_RUNS, NUMBER_PLACEHOLDER) : word;
      counts.add(WORD, fnv1a(WORD_SEED, shape));
      if (shape !== word) counts.add(LITERAL, fnv1a(LITERAL_SEED, word));
      if (previous !== undefined) counts.add(BIGRAM, fnv1a(fnv1aUnit(fnv1a(BIGRAM_SEED, previous), 0x20), shape));
      const bounded = `<${shape}>`;
      for (const size of CHAR_GRAM_SIZES) {
        for (let start = 0; start + size <= bounded.length; start++) counts.add(CHARS, fnv1a(CHARS_SEED, bounded, start, start + size));
      }
      previous = shape;
    }
    const vector = new Float32Array(this.dimensions);
    if (!this.accumulate(vector)) {
      // No words (or, in theory, features that cancelled out exactly): one fixed direction.
      counts.clear();
      counts.add(WORD, fnv1a(WORD_SEED, ''));
      vector.fill(0);
      this.accumulate(vector);
    }
    return normalizeInPlace(vector);
  }

  /** Adds every counted feature into its signed bucket; false when the result has no length. */
  private accumulate(vector: Float32Array): boolean {
    const counts = this.counts;
    for (let i = 0; i < counts.size; i++) {
      const mixed = counts.keyAt(i);
      const bucket = (mixed >>> 1) % this.dimensions;
      const weight = KIND_WEIGHTS[counts.kindAt(i)]! * (1 + Math.log(counts.countAt(i)));
      vector[bucket] += mixed & 1 ? -weight : weight;
    }
    return vector.some((value) => value !== 0);
  }
}

/**
 * Counts of hashed features: an open-addressing table in typed arrays (a Map was most of the
 * embedder's time). Keys are fmix32 of the feature hash, which also picks buckets and signs.
 */
class FeatureCounts {
  private capacity = 1_024;
  private mask = this.capacity - 1;
  private table = new Int32Array(this.capacity).fill(-1);
  private keys = new Uint32Array(this.capacity / 2);
  private kinds = new Uint8Array(this.capacity / 2);
  private counts = new Uint32Array(this.capacity / 2);
  /** Where each entry sits in `table`, to empty exactly those slots. */
  private slots = new Int32Array(this.capacity / 2);
  private entries = 0;

  get size(): number {
    return this.entries;
  }

  keyAt(entry: number): number {
    return this.keys[entry];
  }

  kindAt(entry: number): number {
    return this.kinds[entry];
  }

  countAt(entry: number): number {
    return this.counts[entry];
  }

  clear(): void {
    for (let i = 0; i < this.entries; i++) this.table[this.slots[i]] = -1;
    this.entries = 0;
  }

  add(kind: number, hash: number): void {
    const key = fmix32(hash);
    const slot = this.slotOf(key);
    const entry = this.table[slot];
    if (entry >= 0) {
      this.counts[entry] += 1;
      return;
    }
    if (this.entries === this.keys.length) {
      this.grow();
      this.add(kind, hash);
      return;
    }
    this.table[slot] = this.entries;
    this.slots[this.entries] = slot;
    this.keys[this.entries] = key;
    this.kinds[this.entries] = kind;
    this.counts[this.entries] = 1;
    this.entries += 1;
  }

  /** The slot holding `key`, or the empty slot where it goes (linear probing; the table is at most half full). */
  private slotOf(key: number): number {
    let slot = key & this.mask;
    for (;;) {
      const entry = this.table[slot];
      if (entry < 0 || this.keys[entry] === key) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  private grow(): void {
    const { keys, kinds, counts, entries } = this;
    this.capacity *= 2;
    this.mask = this.capacity - 1;
    this.table = new Int32Array(this.capacity).fill(-1);
    this.keys = new Uint32Array(this.capacity / 2);
    this.kinds = new Uint8Array(this.capacity / 2);
    this.counts = new Uint32Array(this.capacity / 2);
    this.slots = new Int32Array(this.capacity / 2);
    this.entries = 0;
    for (let i = 0; i < entries; i++) {
      const slot = this.slotOf(keys[i]);
      this.table[slot] = i;
      this.slots[i] = slot;
      this.keys[i] = keys[i];
      this.kinds[i] = kinds[i];
      this.counts[i] = counts[i];
      this.entries += 1;
    }
  }
}
