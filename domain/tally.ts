// 看板 counters (issue 15 point 10): what one class adds to the manager's dashboard, so the read model can keep
// the sums current as the projection writes instead of aggregating every class on each request.
//
// A class contributes flows (opened, closed, trainees assessed, passed, certified, followed up, employed, money)
// and a place in the stage table (stage, overdue, escalated). Each change of a class row adds the difference
// between what it contributes after and before, in the month (Asia/Shanghai) the change happened; so the sum of
// a class's changes over all months is what it contributes now, and a month's sums are the flows of that month.
import { shanghaiDate } from './dates';
import { ENDED_STAGES } from './stages';

/** The class row's columns the dashboard counts. */
export interface TallyRow {
  stage: string;
  overdue: boolean;
  escalated: boolean;
  traineeCount: number;
  passedCount: number;
  certifiedCount: number;
  employedCount: number;
  advancedFen: number;
  paidFen: number;
  recoveredFen: number;
}

export const FLOW_FIELDS = [
  'opened',
  'closed',
  'assessed',
  'passed',
  'certified',
  'followedUp',
  'employed',
  'advancedFen',
  'paidFen',
  'recoveredFen',
] as const;
export type Flows = Record<(typeof FLOW_FIELDS)[number], number>;

/** Results are recorded once a class reaches follow-up; employment is known once it reaches the notice. */
export const ASSESSED_STAGES = ['FOLLOW_UP', 'NOTICE', 'PAYOUT', 'CLOSED'];
export const FOLLOWED_UP_STAGES = ['NOTICE', 'PAYOUT', 'CLOSED'];
/** A case has ended: the dashboard's "closed" counts every way a case ends (domain/stages.ts). */
export { ENDED_STAGES };

/** What a class row contributes to the flows (opened counts the row itself). */
export function flowsOf(row: TallyRow | undefined): Flows {
  if (!row) return zeroFlows();
  const assessed = ASSESSED_STAGES.includes(row.stage);
  const followed = FOLLOWED_UP_STAGES.includes(row.stage);
  return {
    opened: 1,
    closed: ENDED_STAGES.includes(row.stage) ? 1 : 0,
    assessed: assessed ? row.traineeCount : 0,
    passed: assessed ? row.passedCount : 0,
    certified: assessed ? row.certifiedCount : 0,
    // the employment rate is over those who passed (DOMAIN.md: only passed trainees are followed up)
    followedUp: followed ? row.passedCount : 0,
    employed: followed ? row.employedCount : 0,
    advancedFen: row.advancedFen,
    paidFen: row.paidFen,
    recoveredFen: row.recoveredFen,
  };
}

export function zeroFlows(): Flows {
  return Object.fromEntries(FLOW_FIELDS.map((f) => [f, 0])) as Flows;
}

/** after − before, field by field; undefined when nothing changes. */
export function flowDelta(before: TallyRow | undefined, after: TallyRow): Flows | undefined {
  const b = flowsOf(before);
  const a = flowsOf(after);
  const d = Object.fromEntries(FLOW_FIELDS.map((f) => [f, a[f] - b[f]])) as Flows;
  return FLOW_FIELDS.some((f) => d[f] !== 0) ? d : undefined;
}

/** One cell of the stage table: how many classes in the stage, how many of them overdue or escalated. */
export interface StageCell {
  stage: string;
  count: number;
  overdue: number;
  escalated: number;
}

/** The stage-table changes a row change makes (a class leaves one cell and enters another). */
export function stageDelta(before: TallyRow | undefined, after: TallyRow): StageCell[] {
  const cell = (r: TallyRow, sign: 1 | -1): StageCell => ({
    stage: r.stage,
    count: sign,
    overdue: r.overdue ? sign : 0,
    escalated: r.escalated ? sign : 0,
  });
  const cells = before ? [cell(before, -1), cell(after, 1)] : [cell(after, 1)];
  const merged = new Map<string, StageCell>();
  for (const c of cells) {
    const m = merged.get(c.stage) ?? { stage: c.stage, count: 0, overdue: 0, escalated: 0 };
    merged.set(c.stage, {
      stage: c.stage,
      count: m.count + c.count,
      overdue: m.overdue + c.overdue,
      escalated: m.escalated + c.escalated,
    });
  }
  return [...merged.values()].filter((c) => c.count !== 0 || c.overdue !== 0 || c.escalated !== 0);
}

/** The month (Asia/Shanghai) an instant falls in: YYYY-MM. */
export function tallyMonth(instantIso: string): string {
  return shanghaiDate(instantIso).slice(0, 7);
}
