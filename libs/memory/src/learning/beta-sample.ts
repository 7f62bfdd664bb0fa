/**
 * One draw from Beta(alpha, beta), for alpha, beta > 0 and finite: X / (X + Y) with
 * X ~ Gamma(alpha), Y ~ Gamma(beta) (Marsaglia–Tsang, boosted for shapes below 1), normals by
 * Box–Muller. Uses only `random` (uniform in [0, 1)), so a seeded source gives the same
 * sequence every time. Always in [0, 1]. Throws RangeError on a non-positive or non-finite parameter.
 */
export function sampleBeta(alpha: number, beta: number, random: () => number): number {
  assertShape('alpha', alpha);
  assertShape('beta', beta);
  const logX = logGammaDraw(alpha, random);
  const logY = logGammaDraw(beta, random);
  // X / (X + Y) written as a logistic of the log ratio: small shapes give Gamma draws that
  // underflow to 0 as plain numbers (0 / 0), while their logs stay finite.
  return 1 / (1 + Math.exp(logY - logX));
}

function assertShape(name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`sampleBeta: ${name} must be a finite number > 0, got ${value}`);
  }
}

/** log of a Gamma(shape, 1) draw; for shape < 1, Gamma(shape) = Gamma(shape + 1) * U^(1/shape). */
function logGammaDraw(shape: number, random: () => number): number {
  if (shape >= 1) return Math.log(marsagliaTsang(shape, random));
  return Math.log(marsagliaTsang(shape + 1, random)) + Math.log(openUniform(random)) / shape;
}

/** Marsaglia & Tsang (2000), "A simple method for generating gamma variables"; shape >= 1. */
function marsagliaTsang(shape: number, random: () => number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = standardNormal(random);
    const t = 1 + c * x;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = openUniform(random);
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Box–Muller; the second normal of the pair is dropped so that the function holds no state. */
function standardNormal(random: () => number): number {
  const radius = Math.sqrt(-2 * Math.log(openUniform(random)));
  return radius * Math.cos(2 * Math.PI * random());
}

/** Uniform in (0, 1], so that its log is finite. */
function openUniform(random: () => number): number {
  return 1 - random();
}
