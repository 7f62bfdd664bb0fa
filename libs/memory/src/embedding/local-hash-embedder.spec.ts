import { fmix32, fnv1a, FNV_OFFSET_BASIS } from './feature-hash';
import { LocalHashEmbedder } from './local-hash-embedder';

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function length(vector: Float32Array): number {
  return Math.sqrt(dot(vector, vector));
}

describe('feature hash', () => {
  it('is 32-bit FNV-1a (published test vectors) and murmur3 fmix32', () => {
    expect(fnv1a(FNV_OFFSET_BASIS, '')).toBe(0x811c9dc5);
    expect(fnv1a(FNV_OFFSET_BASIS, 'a')).toBe(0xe40c292c);
    expect(fnv1a(FNV_OFFSET_BASIS, 'foobar')).toBe(0xbf9cf968);
    expect(fnv1a(FNV_OFFSET_BASIS, 'xfoobarx', 1, 7)).toBe(0xbf9cf968);
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
  });
});

describe('LocalHashEmbedder', () => {
  const embedder = new LocalHashEmbedder();
  const similarity = (a: string, b: string) => dot(embedder.embedText(a), embedder.embedText(b));

  it('makes unit vectors of 384 dimensions named local-hash-v1', async () => {
    expect(embedder.model).toBe('local-hash-v1');
    expect(embedder.dimensions).toBe(384);
    const vectors = await embedder.embed(['Sum 19 and 23', 'Read sales.csv and write a report', '', 'x']);
    expect(vectors).toHaveLength(4);
    for (const vector of vectors) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector).toHaveLength(384);
      expect(length(vector)).toBeCloseTo(1, 5);
    }
  });

  it('names other lengths as another model', () => {
    const small = new LocalHashEmbedder({ dimensions: 256 });
    expect(small.model).toBe('local-hash-v1-256d');
    expect(small.embedText('sum 19 and 23')).toHaveLength(256);
    expect(() => new LocalHashEmbedder({ dimensions: 8 })).toThrow(RangeError);
    expect(() => new LocalHashEmbedder({ dimensions: 100.5 })).toThrow(RangeError);
  });

  it('is deterministic: the same vector from another instance, and these exact values on every machine', async () => {
    const text = 'Read sales.csv, aggregate revenue by region and write a report';
    const again = await new LocalHashEmbedder().embed([text]);
    expect(again[0]).toEqual(embedder.embedText(text));
    // Pinned: a change to normalisation, features, weights or hashing moves these, and must come
    // with a new model name (stored vectors of local-hash-v1 would no longer compare).
    const vector = embedder.embedText('sum 19 and 23');
    const nonZero = [...vector.keys()].filter((i) => vector[i] !== 0);
    const fingerprint = nonZero.slice(0, 8).map((i) => `${i}:${vector[i]!.toFixed(4)}`).join(' ');
    expect(`${nonZero.length} non-zero; ${fingerprint}`).toBe('19 non-zero; 4:-0.1110 51:-0.1110 71:0.1110 73:0.1110 97:0.3171 124:-0.1586 153:-0.3171 169:0.1110');
  });

  it('ignores case, punctuation, spacing and compatibility forms', () => {
    expect(embedder.embedText('  SUM 19, and 23!! ')).toEqual(embedder.embedText('sum 19 and 23'));
    expect(embedder.embedText('ＳＵＭ １９ and ２３')).toEqual(embedder.embedText('sum 19 and 23'));
  });

  it('puts goals of one template close together, whatever their numbers', () => {
    const sameNumbers = similarity('sum 19 and 23', 'Sum 19 and 23.');
    const otherNumbers = similarity('sum 19 and 23', 'sum 7 and 1045');
    const oneNumberChanged = similarity('sum 19 and 23', 'sum 19 and 24');
    expect(sameNumbers).toBeCloseTo(1, 5);
    expect(otherNumbers).toBeGreaterThan(0.85);
    expect(oneNumberChanged).toBeGreaterThan(otherNumbers);
    expect(sameNumbers).toBeGreaterThan(oneNumberChanged);
  });

  it('puts goals of one template nearer each other than goals of another template', () => {
    const a1 = 'Read sales-2024.csv, aggregate revenue by region and write a markdown report';
    const a2 = 'Read orders-2023.csv, aggregate units by country and write a markdown report';
    const b1 = 'Fetch https://example.com/weather/paris and extract the temperature';
    const b2 = 'Fetch https://example.org/weather/lisbon and extract the humidity';
    expect(similarity(a1, a2)).toBeGreaterThan(0.5);
    expect(similarity(b1, b2)).toBeGreaterThan(0.5);
    for (const [a, b] of [[a1, b1], [a1, b2], [a2, b1], [a2, b2]] as const) {
      expect(similarity(a, b)).toBeLessThan(0.25);
      expect(similarity(a, b)).toBeLessThan(similarity(a1, a2) - 0.3);
    }
  });

  it('sees word order through bigrams, and shared word pieces through character n-grams', () => {
    expect(similarity('sales report by region', 'region by sales report')).toBeLessThan(0.99);
    expect(similarity('sales report by region', 'region by sales report')).toBeGreaterThan(0.6);
    expect(similarity('summarise the quarterly reports', 'summarize the quarterly report')).toBeGreaterThan(0.6);
    expect(similarity('summarise', 'summarize')).toBeGreaterThan(0.3);
    expect(similarity('summarise', 'translate')).toBeLessThan(0.15);
  });

  it('weighs repeated features sublinearly (1 + ln tf): fifty repeats do not drown one other word', () => {
    // With linear counts this is about 0.03.
    expect(similarity(`${'sales '.repeat(50)}report`, 'report')).toBeGreaterThan(0.15);
  });

  it('gives long texts (thousands of features) the same vector as a fresh embedder, and is unaffected by them afterwards', () => {
    const long = Array.from({ length: 1_500 }, (_, i) => `word${i} term${String.fromCharCode(97 + (i % 26))}${i % 7}`).join(' ');
    const used = new LocalHashEmbedder();
    used.embedText('warm up with something short');
    expect(used.embedText(long)).toEqual(new LocalHashEmbedder().embedText(long));
    expect(used.embedText('sum 19 and 23')).toEqual(new LocalHashEmbedder().embedText('sum 19 and 23'));
    expect(length(used.embedText(long))).toBeCloseTo(1, 5);
  });

  it('gives every text without words the same fixed direction', () => {
    const empty = embedder.embedText('');
    expect(length(empty)).toBeCloseTo(1, 6);
    expect(embedder.embedText(' ?! ')).toEqual(empty);
  });

  it('embeds a batch in order', async () => {
    const texts = ['one goal', 'another goal', 'one goal'];
    const vectors = await embedder.embed(texts);
    expect(vectors).toEqual(texts.map((text) => embedder.embedText(text)));
    expect(await embedder.embed([])).toEqual([]);
  });
});
