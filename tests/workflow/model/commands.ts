// What a model run is made of, and the fast-check arbitraries that generate it. A run picks one phase of the
// process (stages far in are expensive to reach), sets up 1–3 classes there that share people, then fires
// waves of commands: every command of a wave at (nearly) the same instant, some sent twice — as a second
// request (`duplicate`: same arguments, a new Update id) or as a client retry (`retry`: the same Update id).
import fc from 'fast-check';
import type { PolicyName } from './bed';

export const PHASES = ['review', 'enrol', 'followUp', 'notice'] as const;
export type Phase = (typeof PHASES)[number];
export type Result = 'SKILL_LEVEL_CERT' | 'TRAINING_CERT' | 'FAILED';

export interface ClassSpec {
  policy: PolicyName;
  /** the plan's capacity (the policy caps classes at 50) */
  capacity: number;
  /** days after the common start: 0 and 10 overlap (20-day classes), 40 does not */
  startOffset: 0 | 10 | 40;
  /** 0: 中式烹调师 4-03-02-01, 1: 中式面点师 4-03-02-02 (same level: one subsidy per person and occupation) */
  occupation: 0 | 1;
  /**
   * review phase: continue-as-new after this many history events (low, so return/resubmit loops hit it; not
   * below 30, the events a run needs before its review task opens, or a run would do nothing but continue)
   */
  continueAsNewAfterEvents?: number;
  /** Harbin: finance approves the advance during set-up (always, from follow-up on) */
  advanceApproved: boolean;
  /** follow-up and notice phases: the set-up roster's assessment results, one per trainee */
  results: Result[];
}

export type Cmd =
  | { kind: 'review'; cls: number; decision: 'APPROVE' | 'RETURN' | 'REJECT'; wrongActor: boolean }
  | { kind: 'resubmit'; cls: number }
  | { kind: 'enrol'; cls: number; people: number[]; validOnly: boolean }
  | { kind: 'withdraw'; cls: number; target: number }
  | { kind: 'start'; cls: number; wrongActor: boolean }
  | { kind: 'cancel'; cls: number; wrongActor: boolean }
  | { kind: 'approveAdvance'; cls: number; wrongActor: boolean }
  | {
      kind: 'evidence';
      cls: number;
      trainee: number;
      when: 'inWindow' | 'beforeEnd' | 'afterWindow';
      tag: number;
    }
  | { kind: 'verify'; cls: number; trainee: number; tag: number; verdict: 'VERIFIED' | 'REJECTED' }
  | { kind: 'objection'; cls: number; line: number; tag: number }
  | { kind: 'resolve'; cls: number; tag: number; resolution: 'DISMISS' | 'REMOVE' | 'CORRECT' }
  | { kind: 'approveBatch'; cls: number; wrongActor: boolean };

export type Copies = 'once' | 'duplicate' | 'retry';
export interface Sent {
  cmd: Cmd;
  /** real milliseconds after the wave starts (0 for most: the same instant) */
  delayMs: number;
  copies: Copies;
}

export interface Run {
  phase: Phase;
  classes: ClassSpec[];
  /** the shared people of the run: how many training subsidies each already had */
  people: number[];
  waves: Sent[][];
  /** notice phase: commands once the notice has closed (approvals, late objections, resolutions) */
  afterNotice: Sent[][];
}

const RESULTS: Result[] = ['SKILL_LEVEL_CERT', 'SKILL_LEVEL_CERT', 'TRAINING_CERT', 'FAILED'];

function classSpec(phase: Phase): fc.Arbitrary<ClassSpec> {
  const far = phase === 'followUp' || phase === 'notice';
  return fc.record({
    policy: fc.constantFrom<PolicyName>('hebei', 'harbin'),
    capacity: far ? fc.integer({ min: 1, max: 3 }) : fc.integer({ min: 1, max: 4 }),
    startOffset: fc.constantFrom<0 | 10 | 40>(0, 10, 40),
    occupation: fc.constantFrom<0 | 1>(0, 1),
    continueAsNewAfterEvents:
      phase === 'review'
        ? fc.option(fc.integer({ min: 30, max: 70 }), { nil: undefined })
        : fc.constant(undefined),
    advanceApproved: far ? fc.constant(true) : fc.boolean(),
    results: fc.array(fc.constantFrom(...RESULTS), { minLength: 1, maxLength: 3 }),
  });
}

function command(phase: Phase, classes: number, people: number, after = false): fc.Arbitrary<Cmd> {
  const cls = fc.nat({ max: classes - 1 });
  const wrongActor = fc.oneof(
    { weight: 9, arbitrary: fc.constant(false) },
    { weight: 1, arbitrary: fc.constant(true) },
  );
  const cancel = fc.record({ kind: fc.constant('cancel' as const), cls, wrongActor });
  const start = fc.record({ kind: fc.constant('start' as const), cls, wrongActor });
  const withdraw = fc.record({ kind: fc.constant('withdraw' as const), cls, target: fc.nat(9) });
  const approveAdvance = fc.record({ kind: fc.constant('approveAdvance' as const), cls, wrongActor });
  const tag = fc.nat(2);
  const resolve = fc.record({
    kind: fc.constant('resolve' as const),
    cls,
    tag,
    resolution: fc.constantFrom<'DISMISS' | 'REMOVE' | 'CORRECT'>('DISMISS', 'REMOVE', 'CORRECT'),
  });
  const objection = fc.record({ kind: fc.constant('objection' as const), cls, line: fc.nat(5), tag });
  switch (phase) {
    case 'review':
      return fc.oneof(
        {
          weight: 5,
          arbitrary: fc.record({
            kind: fc.constant('review' as const),
            cls,
            decision: fc.constantFrom<'APPROVE' | 'RETURN' | 'REJECT'>(
              'APPROVE',
              'APPROVE',
              'RETURN',
              'RETURN',
              'REJECT',
            ),
            wrongActor,
          }),
        },
        { weight: 3, arbitrary: fc.record({ kind: fc.constant('resubmit' as const), cls }) },
        { weight: 1, arbitrary: cancel },
        { weight: 1, arbitrary: approveAdvance },
      );
    case 'enrol':
      return fc.oneof(
        {
          weight: 6,
          arbitrary: fc.record({
            kind: fc.constant('enrol' as const),
            cls,
            people: fc.array(fc.nat(people - 1), { minLength: 1, maxLength: 4 }),
            validOnly: fc.boolean(),
          }),
        },
        { weight: 2, arbitrary: withdraw },
        { weight: 2, arbitrary: start },
        { weight: 1, arbitrary: cancel },
        { weight: 1, arbitrary: approveAdvance },
      );
    case 'followUp':
      return fc.oneof(
        {
          weight: 5,
          arbitrary: fc.record({
            kind: fc.constant('evidence' as const),
            cls,
            trainee: fc.nat(2),
            when: fc.constantFrom<'inWindow' | 'beforeEnd' | 'afterWindow'>(
              'inWindow',
              'inWindow',
              'beforeEnd',
              'afterWindow',
            ),
            tag,
          }),
        },
        {
          weight: 4,
          arbitrary: fc.record({
            kind: fc.constant('verify' as const),
            cls,
            trainee: fc.nat(2),
            tag,
            verdict: fc.constantFrom<'VERIFIED' | 'REJECTED'>('VERIFIED', 'VERIFIED', 'REJECTED'),
          }),
        },
        { weight: 1, arbitrary: cancel },
        { weight: 1, arbitrary: start },
        { weight: 1, arbitrary: withdraw },
      );
    case 'notice':
      return after
        ? fc.oneof(
            {
              weight: 5,
              arbitrary: fc.record({ kind: fc.constant('approveBatch' as const), cls, wrongActor }),
            },
            { weight: 2, arbitrary: resolve },
            { weight: 1, arbitrary: objection },
            { weight: 1, arbitrary: cancel },
          )
        : fc.oneof(
            { weight: 4, arbitrary: objection },
            { weight: 3, arbitrary: resolve },
            { weight: 1, arbitrary: cancel },
          );
  }
}

function sent(cmd: fc.Arbitrary<Cmd>): fc.Arbitrary<Sent> {
  return fc.record({
    cmd,
    delayMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 })),
    copies: fc.constantFrom<Copies>('once', 'once', 'once', 'duplicate', 'duplicate', 'retry'),
  });
}

/** How often each phase is picked: the far ones cost several times more set-up (measured: README of the test). */
const PHASE_WEIGHTS: Record<Phase, number> = { review: 3, enrol: 4, followUp: 2, notice: 1 };

export function runArbitrary(phases: readonly Phase[] = PHASES): fc.Arbitrary<Run> {
  const phase = fc.oneof(...phases.map((p) => ({ weight: PHASE_WEIGHTS[p], arbitrary: fc.constant(p) })));
  return phase.chain((phase) =>
    fc
      .record({
        classes: fc.array(classSpec(phase), { minLength: 1, maxLength: 3 }),
        people: fc.array(fc.constantFrom(0, 0, 0, 2, 2, 3), { minLength: 2, maxLength: 5 }),
      })
      .chain(({ classes, people }) => {
        const wave = (after = false) =>
          fc.array(sent(command(phase, classes.length, people.length, after)), {
            minLength: 1,
            maxLength: 8,
          });
        return fc.record({
          phase: fc.constant(phase),
          classes: fc.constant(classes),
          people: fc.constant(people),
          waves: fc.array(wave(), { minLength: 1, maxLength: phase === 'review' ? 4 : 3 }),
          afterNotice:
            phase === 'notice' ? fc.array(wave(true), { minLength: 1, maxLength: 2 }) : fc.constant([]),
        });
      }),
  );
}

/** A readable one-line summary of a run, for failure messages. */
export function describeRun(run: Run): string {
  const cmd = (s: Sent) => {
    const { kind, cls, ...rest } = s.cmd;
    const extra = Object.entries(rest)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(',')}]` : String(v)}`)
      .join(' ');
    return `${kind}(c${cls}${extra ? ` ${extra}` : ''})${s.copies === 'once' ? '' : `×2:${s.copies}`}${s.delayMs ? `+${s.delayMs}ms` : ''}`;
  };
  const classes = run.classes
    .map(
      (c, i) =>
        `c${i}:${c.policy} cap ${c.capacity} +${c.startOffset}d occ${c.occupation}${c.continueAsNewAfterEvents ? ` can@${c.continueAsNewAfterEvents}` : ''}${c.policy === 'harbin' ? (c.advanceApproved ? ' adv✓' : ' adv…') : ''}`,
    )
    .join('; ');
  const waves = [...run.waves, ...run.afterNotice].map((w, i) => `  wave ${i + 1}: ${w.map(cmd).join(', ')}`);
  return [`phase ${run.phase}; ${classes}; people prior ${run.people.join('/')}`, ...waves].join('\n');
}
