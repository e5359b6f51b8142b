// The abuse limits' building blocks (api/limits.ts) on a fake clock: waits grow, the right answer starts afresh.
import { GrowingWaits, LIMITS, Limit } from '../../../api/limits';

beforeEach(() => jest.useFakeTimers({ now: Date.parse('2026-12-01T02:00:00Z') }));
afterEach(() => jest.useRealTimers());

async function failTimes(g: GrowingWaits, key: string, n: number): Promise<number[]> {
  const waits: number[] = [];
  for (let i = 0; i < n; i++) waits.push(await g.fail(key));
  return waits;
}

describe('growing waits', () => {
  const make = () => new GrowingWaits('t', { points: 3, seconds: 900 }, [60, 300, 3600], 86_400);

  it('lets a key fail until its window is used up, then makes it wait, longer each time', async () => {
    const g = make();
    expect(await failTimes(g, 'k', 3)).toEqual([0, 0, 60]);
    expect(await g.waitFor('k')).toBe(60);
    jest.advanceTimersByTime(30_000);
    expect(await g.waitFor('k')).toBe(30);
    jest.advanceTimersByTime(30_001);
    expect(await g.waitFor('k')).toBe(0);
    expect(await failTimes(g, 'k', 3)).toEqual([0, 0, 300]);
    jest.advanceTimersByTime(300_001);
    expect(await failTimes(g, 'k', 3)).toEqual([0, 0, 3600]);
    jest.advanceTimersByTime(3_600_001);
    expect(await failTimes(g, 'k', 3)).toEqual([0, 0, 3600]); // the last wait repeats
  });

  it('keeps keys apart and forgets a key on the right answer', async () => {
    const g = make();
    await failTimes(g, 'a', 3);
    expect(await g.waitFor('b')).toBe(0);
    jest.advanceTimersByTime(60_001);
    await g.forget('a');
    expect(await failTimes(g, 'a', 3)).toEqual([0, 0, 60]); // back to the first, shortest wait
  });

  it('forgets earlier waits after a quiet day', async () => {
    const g = make();
    await failTimes(g, 'k', 3);
    jest.advanceTimersByTime(86_400_001);
    expect(await failTimes(g, 'k', 3)).toEqual([0, 0, 60]);
  });

  it('answers a concurrent failure during a wait with the remaining wait', async () => {
    const g = make();
    await failTimes(g, 'k', 3);
    jest.advanceTimersByTime(10_000);
    expect(await g.fail('k')).toBe(50);
  });
});

describe('a plain limit', () => {
  it('counts, refuses with the seconds to wait, and gives back', async () => {
    const l = new Limit('p', { points: 2, seconds: 3600 });
    expect([await l.take('x'), await l.take('x')]).toEqual([0, 0]);
    expect(await l.take('x')).toBe(3600);
    await l.giveBack('x');
    await l.giveBack('x');
    expect(await l.take('x')).toBe(0);
  });
});

describe('the numbers', () => {
  it('let 30 usernames from one address be slowed down, and keep waits growing', () => {
    expect(LIMITS.login.perClient.points).toBeLessThan(30);
    for (const waits of [LIMITS.login.userAndClientWaits, LIMITS.login.clientWaits])
      expect([...waits].sort((a, b) => a - b)).toEqual(waits);
  });
});
