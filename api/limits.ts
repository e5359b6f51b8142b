// Abuse limits (issue 13), in one place: every number that slows a caller down, and why it is that number.
// Counted with rate-limiter-flexible's RateLimiterMemory: one API process keeps its own counters (the
// one-machine profile runs one). Several API processes behind a balancer would each count on their own:
// move these to RateLimiterPostgres/RateLimiterPrisma on the shared database then; the numbers stay.
import type { Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { Problem, type Text } from './problem';

/** At most `points` in `seconds`, counted from the first one. */
export interface Window {
  points: number;
  seconds: number;
}

export interface AbuseLimits {
  login: {
    /** wrong passwords for one username from one client address */
    perUserAndClient: Window;
    /** wrong passwords from one client address, whatever the usernames */
    perClient: Window;
    /** the waits (seconds) once a window is used up, each longer than the last; the last one repeats */
    userAndClientWaits: number[];
    clientWaits: number[];
    /** how long (seconds) an earlier wait counts towards the next, longer one */
    waitsRemembered: number;
  };
  objections: {
    /** objections (new or repeated) from one client address */
    perClient: Window;
    /** distinct objections to one line of one notice */
    perLine: Window;
  };
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;

export const LIMITS: AbuseLimits = {
  login: {
    // Five wrong passwords in 15 minutes is a person who has forgotten theirs or someone guessing; either way
    // a short wait helps. It is counted per username AND client, so whoever knows a username cannot lock its
    // owner out: the owner's own browser (another address) still logs in with the right password.
    perUserAndClient: { points: 5, seconds: 15 * MINUTE },
    // Twenty wrong passwords in an hour from one address is more than a bureau office behind one address makes,
    // and stops trying one password on many usernames (spraying) or leaked pairs (stuffing) at 20.
    perClient: { points: 20, seconds: HOUR },
    // Growing waits: 1, 5, 15 minutes, then an hour each time (a guesser gets ~30 tries a day per username).
    userAndClientWaits: [1 * MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR],
    // An address that sprays usernames waits longer: 15 minutes, an hour, then 4 hours each time.
    clientWaits: [15 * MINUTE, HOUR, 4 * HOUR],
    waitsRemembered: 24 * HOUR,
  },
  objections: {
    // 异议 are anonymous. Twenty an hour lets a community centre or a family behind one address object to
    // several lines, and keeps one address from flooding the caseworkers' inbox.
    perClient: { points: 20, seconds: HOUR },
    // One line is one trainee's subsidy: the first objection already holds it and opens a caseworker task, a
    // repeat from the same contact opens nothing (deduplicated). Five different objectors to one line in a
    // day is a campaign, not new information for the caseworker.
    perLine: { points: 5, seconds: 24 * HOUR },
  },
};

/**
 * Failures counted per key in a window; the failure that uses the window up starts a wait, and each wait
 * (within `remembered` seconds of the last) is longer than the one before.
 */
export class GrowingWaits {
  private readonly failures: RateLimiterMemory;
  private readonly waitsSoFar: RateLimiterMemory;
  constructor(
    prefix: string,
    private readonly window: Window,
    private readonly waits: readonly number[],
    remembered: number,
  ) {
    this.failures = new RateLimiterMemory({
      keyPrefix: `${prefix}:failures`,
      points: window.points,
      duration: window.seconds,
    });
    this.waitsSoFar = new RateLimiterMemory({
      keyPrefix: `${prefix}:waits`,
      points: Number.MAX_SAFE_INTEGER,
      duration: remembered,
    });
  }

  /** Seconds the key must still wait; 0 when it may try. */
  async waitFor(key: string): Promise<number> {
    const res = await this.failures.get(key);
    return res && res.consumedPoints > this.window.points ? secondsOf(res) : 0;
  }

  /** Counts a failure; answers the wait it starts in seconds (0 while the window lasts). */
  async fail(key: string): Promise<number> {
    const res = await this.failures.consume(key).catch((rejected: unknown) => {
      if (rejected instanceof RateLimiterRes) return rejected;
      throw rejected;
    });
    if (res.consumedPoints > this.window.points) return secondsOf(res); // already waiting (a concurrent try)
    if (res.consumedPoints < this.window.points) return 0;
    const nth = (await this.waitsSoFar.penalty(key)).consumedPoints;
    const wait = this.waits[Math.min(nth, this.waits.length) - 1] ?? this.window.seconds;
    await this.failures.block(key, wait);
    return wait;
  }

  /** The right answer came: the key starts afresh. */
  async forget(key: string): Promise<void> {
    await Promise.all([this.failures.delete(key), this.waitsSoFar.delete(key)]);
  }
}

/** A plain limit: `take` answers 0 when the key may go on, or the seconds until it may. */
export class Limit {
  private readonly counter: RateLimiterMemory;
  constructor(prefix: string, window: Window) {
    this.counter = new RateLimiterMemory({
      keyPrefix: prefix,
      points: window.points,
      duration: window.seconds,
    });
  }

  async take(key: string): Promise<number> {
    try {
      await this.counter.consume(key);
      return 0;
    } catch (rejected) {
      if (rejected instanceof RateLimiterRes) return secondsOf(rejected);
      throw rejected;
    }
  }

  /** Gives back what `take` counted (the request turned out not to count, e.g. a line that does not exist). */
  async giveBack(key: string): Promise<void> {
    await this.counter.reward(key);
  }
}

const secondsOf = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/** 429 problem+json with Retry-After in seconds, and the wait in words in the message. */
export function tooManyRequests(res: Response, seconds: number, code: string, what: Text): Problem {
  res.set('Retry-After', String(seconds));
  const minutes = Math.ceil(seconds / 60);
  const zh = seconds < 60 ? `${seconds}秒` : `${minutes}分钟`;
  const en = seconds < 60 ? `${seconds} s` : `${minutes} min`;
  return new Problem(429, code, {
    zh: `${what.zh}，请${zh}后再试`,
    en: `${what.en}; try again in ${en}`,
  });
}
