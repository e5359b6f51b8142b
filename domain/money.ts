/**
 * Money as integer fen (分). STYLE.md: never floats of yuan; format only at the edges.
 * All arithmetic here stays in integers; division rounds half up once, at the end.
 */

export type Fen = number;

function assertInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a safe integer, got ${value}`);
}

/**
 * Converts yuan (元) to fen. Strings are parsed digit by digit, so '1500.5' is exactly 150050
 * without passing through a binary float. Throws on anything that is not a finite amount with at
 * most two decimals: such input is a programming or import error, not a rule violation.
 */
export function yuanToFen(yuan: string | number): Fen {
  const text = typeof yuan === 'number' ? numberToPlainString(yuan) : yuan.trim();
  const match = /^([+-]?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw new RangeError(`not a yuan amount with at most 2 decimals: ${String(yuan)}`);
  const [, sign = '', whole = '0', decimals = ''] = match;
  const fen = Number(whole) * 100 + Number(decimals.padEnd(2, '0'));
  assertInteger(fen, 'amount in fen');
  return sign === '-' && fen !== 0 ? -fen : fen;
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite yuan amount: ${value}`);
  // Shortest round-trip representation; '1500.5' for 1500.5, '0.1' for 0.1. Exponent forms are refused by the regex.
  return String(value);
}

/** '1,500.00'; negative amounts with a leading '-'. */
export function formatFen(fen: Fen): string {
  assertInteger(fen, 'fen');
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100).toString().padStart(2, '0');
  return `${sign}${yuan}.${cents}`;
}

/**
 * numerator / denominator rounded half up (half away from zero for negatives), integers only.
 * BigInt keeps products such as standard × hours × percent exact beyond 2^53.
 */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  if (denominator < 0n) return divideRoundHalfUp(-numerator, -denominator);
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const quotient = (abs * 2n + denominator) / (denominator * 2n);
  return negative ? -quotient : quotient;
}

function toFen(value: bigint): Fen {
  const fen = Number(value);
  assertInteger(fen, 'result in fen');
  return fen;
}

/** pct % of an amount, rounded half up to the fen. pct must be an integer (policy tiers are). */
export function percentOf(fen: Fen, pct: number): Fen {
  assertInteger(fen, 'fen');
  assertInteger(pct, 'percentage');
  return toFen(divideRoundHalfUp(BigInt(fen) * BigInt(pct), 100n));
}

/** fen × numerator / denominator, rounded half up to the fen. */
export function prorate(fen: Fen, numerator: number, denominator: number): Fen {
  assertInteger(fen, 'fen');
  assertInteger(numerator, 'numerator');
  assertInteger(denominator, 'denominator');
  return toFen(divideRoundHalfUp(BigInt(fen) * BigInt(numerator), BigInt(denominator)));
}

export function sumFen(values: Fen[]): Fen {
  let total = 0;
  for (const value of values) {
    assertInteger(value, 'fen');
    total += value;
  }
  assertInteger(total, 'sum in fen');
  return total;
}
