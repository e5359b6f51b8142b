import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deadlineText } from '../../../domain/dates';
import { overdueReason, TASK_DUTIES, type LateTask } from '../../../domain/overdue';

// DOMAIN.md: training ends 2026-09-24, the 7-day assessment period rolls past the National Day holiday and
// ends at 24:00 on 2026-10-08, which is 2026-10-08T16:00:00Z.
const DUE = '2026-10-08T16:00:00.000Z';
const names = {
  institution: { id: 'inst-sjz-01', name: '石家庄市智联职业培训学校' },
  assessmentBody: { id: 'assess-sjz-01', name: '市职业技能鉴定中心' },
};
const late = (kind: string, more: Partial<LateTask> = {}): LateTask => ({
  kind,
  dueAt: DUE,
  escalated: false,
  ...names,
  ...more,
});

describe('deadlineText', () => {
  it('reads a deadline at midnight in Asia/Shanghai as 24:00 of the day before', () => {
    expect(deadlineText(DUE)).toBe('2026-10-08 24:00');
    expect(deadlineText('2026-12-31T16:00:00Z')).toBe('2026-12-31 24:00');
  });

  it('shows any other instant as its Asia/Shanghai date and time', () => {
    expect(deadlineText('2026-10-08T01:30:00.000Z')).toBe('2026-10-08 09:30');
    expect(deadlineText('2026-10-08T23:59:00+08:00')).toBe('2026-10-08 23:59');
  });
});

describe('overdueReason', () => {
  it('names the booked assessment body and the missed deadline for an overdue assessment', () => {
    expect(overdueReason(late('RECORD_ASSESSMENT'))).toEqual({
      code: 'OVERDUE:RECORD_ASSESSMENT',
      party: 'ASSESSMENT_BODY',
      zh: '市职业技能鉴定中心 未在期限内录入考核结果，逾期自 2026-10-08 24:00 起',
      en: '市职业技能鉴定中心 has not recorded assessment results; overdue since 2026-10-08 24:00',
    });
  });

  it.each(['RESUBMIT_PLAN', 'START_TRAINING', 'FINISH_TRAINING'])(
    'names the class’s institution for %s',
    (kind) => {
      const reason = overdueReason(late(kind));
      expect(reason.party).toBe('INSTITUTION');
      expect(reason.zh).toMatch(/^石家庄市智联职业培训学校 未在期限内/);
      expect(reason.en).toMatch(/^石家庄市智联职业培训学校 has not /);
    },
  );

  it('says the caseworker or finance for bureau tasks, whatever organisations the class has', () => {
    expect(overdueReason(late('REVIEW_PLAN')).zh).toBe(
      '经办人 未在期限内审核开班申请，逾期自 2026-10-08 24:00 起',
    );
    expect(overdueReason(late('VERIFY_EMPLOYMENT')).en).toBe(
      'The caseworker has not verified the employment evidence; overdue since 2026-10-08 24:00',
    );
    expect(overdueReason(late('RESOLVE_OBJECTION')).party).toBe('CASEWORKER');
    for (const kind of ['APPROVE_PAYMENT', 'IMPORT_BANK_RETURN', 'CORRECT_PAYMENT']) {
      expect(overdueReason(late(kind)).party).toBe('FINANCE');
      expect(overdueReason(late(kind)).zh).toMatch(/^财务 未在期限内/);
    }
  });

  it('has wording for every task kind the workflows open', () => {
    expect(Object.keys(TASK_DUTIES).sort()).toEqual([
      'APPROVE_PAYMENT',
      'CORRECT_PAYMENT',
      'FINISH_TRAINING',
      'IMPORT_BANK_RETURN',
      'RECORD_ASSESSMENT',
      'RESOLVE_OBJECTION',
      'RESUBMIT_PLAN',
      'REVIEW_PLAN',
      'START_TRAINING',
      'VERIFY_EMPLOYMENT',
    ]);
  });

  it('blames the party of the role each workflow task is opened for', () => {
    // Read from the workflow sources (`kind: 'X', role: 'Y'`), so a new human task without wording, or a task
    // moved to another role, fails here rather than reading wrongly in the inbox.
    const dir = join(__dirname, '../../../workflows');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const opened = new Map<string, string>();
    for (const file of files)
      for (const m of readFileSync(join(dir, file), 'utf8').matchAll(
        /kind: '([A-Z_]+)',\s*role: '([A-Z]+)'/g,
      ))
        opened.set(m[1]!, m[2]!);
    expect(opened.size).toBeGreaterThanOrEqual(5);
    const partyOfRole: Record<string, string> = {
      CASEWORKER: 'CASEWORKER',
      INSTITUTION: 'INSTITUTION',
      ASSESSOR: 'ASSESSMENT_BODY',
      FINANCE: 'FINANCE',
    };
    for (const [kind, role] of opened)
      expect([kind, TASK_DUTIES[kind]?.party]).toEqual([kind, partyOfRole[role]]);
  });

  it('adds that an escalated task is now with the section head', () => {
    const reason = overdueReason(late('START_TRAINING', { escalated: true }));
    expect(reason.code).toBe('ESCALATED:START_TRAINING');
    expect(reason.zh).toBe(
      '石家庄市智联职业培训学校 未在期限内开班，逾期自 2026-10-08 24:00 起，已上报科室负责人督办',
    );
    expect(reason.en).toBe(
      '石家庄市智联职业培训学校 has not started training; overdue since 2026-10-08 24:00; escalated to the section head',
    );
  });

  it('falls back to the organisation id, then to the party’s title, when the read model has no name', () => {
    expect(
      overdueReason(late('RECORD_ASSESSMENT', { assessmentBody: { id: 'assess-x', name: null } })).zh,
    ).toMatch(/^assess-x 未在期限内/);
    expect(overdueReason(late('RECORD_ASSESSMENT', { assessmentBody: { id: '' } })).en).toMatch(
      /^The assessment body has not /,
    );
  });

  it('uses the task’s role for a kind it does not know, and says only "overdue" without a deadline', () => {
    const reason = overdueReason(late('SIGN_CONTRACT', { role: 'INSTITUTION', dueAt: null }));
    expect(reason.party).toBe('INSTITUTION');
    expect(reason.zh).toBe('石家庄市智联职业培训学校 未在期限内办结待办（SIGN_CONTRACT），已逾期');
  });
});
