import fc from 'fast-check';
import { formatFen, percentOf, prorate, sumFen, yuanToFen } from '../../../domain/money';

describe('yuanToFen', () => {
  it.each([
    ['1500.5', 150050],
    ['1500', 150000],
    ['0.01', 1],
    [' 3.1 ', 310],
    ['-12.34', -1234],
    [1500.5, 150050],
    [0.1, 10],
    [2200, 220000],
  ])('converts %p yuan to %p fen exactly', (yuan, fen) => {
    expect(yuanToFen(yuan)).toBe(fen);
  });

  it.each([['1.234'], ['abc'], [''], ['1e3'], ['1.'], [Number.NaN], [Number.POSITIVE_INFINITY], [0.1 + 0.2]])(
    'refuses %p',
    (yuan) => {
      expect(() => yuanToFen(yuan)).toThrow(RangeError);
    },
  );
});

describe('formatFen', () => {
  it.each([
    [150000, '1,500.00'],
    [0, '0.00'],
    [5, '0.05'],
    [-150050, '-1,500.50'],
    [123456789, '1,234,567.89'],
  ])('formats %p fen as %p', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  it('refuses a fractional fen', () => {
    expect(() => formatFen(1.5)).toThrow(RangeError);
  });
});

describe('percentOf', () => {
  it.each([
    [100000, 80, 80000],
    [5, 50, 3], // 2.5 rounds half up
    [1, 49, 0],
    [1, 50, 1],
    [-5, 50, -3], // half away from zero for a negative amount
    [150000, 0, 0],
  ])('takes %p fen × %p %% = %p fen', (fen, pct, expected) => {
    expect(percentOf(fen, pct)).toBe(expected);
  });

  it('refuses fractional amounts or percentages', () => {
    expect(() => percentOf(10.5, 50)).toThrow(RangeError);
    expect(() => percentOf(100, 12.5)).toThrow(RangeError);
  });

  it('is never more than half a fen away from the exact value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.integer({ min: 0, max: 100 }),
        (fen, pct) => {
          expect(Math.abs(percentOf(fen, pct) - (fen * pct) / 100)).toBeLessThanOrEqual(0.5);
        },
      ),
    );
  });
});

describe('prorate', () => {
  it.each([
    [100000, 64, 80, 80000],
    [100000, 1, 3, 33333],
    [200000, 2, 3, 133333],
    [1, 1, 2, 1],
  ])('prorates %p fen by %p/%p to %p fen', (fen, num, den, expected) => {
    expect(prorate(fen, num, den)).toBe(expected);
  });

  it('refuses a zero denominator', () => {
    expect(() => prorate(100, 1, 0)).toThrow(RangeError);
  });
});

describe('sumFen', () => {
  it('adds integer amounts', () => {
    expect(sumFen([1, 2, 3])).toBe(6);
    expect(sumFen([])).toBe(0);
  });

  it('refuses a fractional amount', () => {
    expect(() => sumFen([1, 1.5])).toThrow(RangeError);
  });
});
