// One scenario builder for classes (STYLE.md): actors, a plan, and steps that drive a class workflow.
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import * as m from '../../workflows/messages';
import { trainingClassWorkflow } from '../../workflows';
import { addDays, shanghaiDate } from '../../domain/dates';

export const INSTITUTION = 'inst-sjz-01';
export const ASSESSOR_BODY = 'assess-sjz-01';
export const actors = {
  institution: { userId: 'u-inst', role: 'INSTITUTION', organisationId: INSTITUTION } as m.Actor,
  otherInstitution: { userId: 'u-other', role: 'INSTITUTION', organisationId: 'inst-sjz-02' } as m.Actor,
  caseworker: { userId: 'u-cw', role: 'CASEWORKER' } as m.Actor,
  finance: { userId: 'u-fin', role: 'FINANCE' } as m.Actor,
  manager: { userId: 'u-mgr', role: 'MANAGER' } as m.Actor,
  assessor: { userId: 'u-asr', role: 'ASSESSOR', organisationId: ASSESSOR_BODY } as m.Actor,
};

/** 中式烹调师 level 5: standard 1000 yuan, catalogue 80 hours; 72 planned hours earn 90 % of it. */
export function plan(today: string, overrides: Partial<m.ClassPlan> = {}): m.ClassPlan {
  const start = addDays(today, 10);
  return {
    title: '中式烹调师（五级）第1期',
    occupationCode: '4-03-02-01',
    level: 'LEVEL_5',
    plannedStart: start,
    plannedEnd: addDays(start, 20),
    classHours: 72,
    capacity: 30,
    venue: '长安区中山东路88号实训楼3层',
    teachers: ['讲师甲', '讲师乙'],
    fundingChannel: 'EMPLOYMENT_SUBSIDY_FUND',
    commitment: false,
    courseTable: [
      {
        date: start,
        content: '刀工基础',
        hours: 8,
        start: '08:30',
        end: '17:30',
        room: '301',
        teacher: '讲师甲',
      },
    ],
    assessmentBodyId: ASSESSOR_BODY,
    plannedAssessmentDate: addDays(start, 24),
    ...overrides,
  };
}

export async function today(env: TestWorkflowEnvironment): Promise<string> {
  return shanghaiDate(new Date(await env.currentTimeMs()).toISOString());
}

export async function startClass(env: TestWorkflowEnvironment, classId: string, p?: m.ClassPlan) {
  return env.client.workflow.start(trainingClassWorkflow, {
    workflowId: classId,
    taskQueue: m.TASK_QUEUE,
    args: [
      {
        classId,
        institutionId: INSTITUTION,
        district: '长安区',
        plan: p ?? plan(await today(env)),
        submittedBy: actors.institution,
      },
    ],
  });
}

export type ClassHandle = WorkflowHandle<typeof trainingClassWorkflow>;

/** Polls the case until `done` holds, letting workflow time pass by `stepMs` between looks. */
export async function until(
  env: TestWorkflowEnvironment,
  handle: ClassHandle,
  done: (s: m.CaseState) => boolean,
  stepMs = 60_000,
  maxSteps = 400,
): Promise<m.CaseState> {
  for (let i = 0; i < maxSteps; i++) {
    const s = await handle.query(m.caseStateQuery);
    if (done(s)) return s;
    await env.sleep(stepMs);
  }
  throw new Error(`case ${handle.workflowId} did not reach the expected state`);
}

export const atStage = (stage: m.Stage) => (s: m.CaseState) => s.stage === stage;

/** 10 lessons of `hoursEach`; trainees listed in `absentFrom` miss the first N lessons. */
export function lessons(
  p: m.ClassPlan,
  enrollmentIds: string[],
  absentFrom: Record<string, number> = {},
  count = 9,
  hoursEach = 8,
): m.LessonAttendance[] {
  return Array.from({ length: count }, (_, i) => ({
    lessonDate: addDays(p.plannedStart, i),
    lessonNo: 1,
    entries: enrollmentIds.map((id) => ({
      enrollmentId: id,
      status: i < (absentFrom[id] ?? 0) ? ('ABSENT' as const) : ('PRESENT' as const),
      hours: hoursEach,
    })),
  }));
}

export async function approve(env: TestWorkflowEnvironment, handle: ClassHandle) {
  await until(env, handle, atStage('UNDER_REVIEW'), 1000);
  await handle.executeUpdate(m.reviewPlanUpdate, {
    args: [{ actor: actors.caseworker, decision: 'APPROVE' }],
  });
  return until(env, handle, atStage('ENROLLING'), 1000);
}

export async function enrol(
  handle: ClassHandle,
  trainees: m.TraineeApplication[],
  actor = actors.institution,
) {
  return handle.executeUpdate(m.enrolTraineesUpdate, { args: [{ actor, trainees }] });
}

/** Approves, enrols, trains with full attendance and finishes: the class then waits for assessment. */
export async function toAssessment(
  env: TestWorkflowEnvironment,
  handle: ClassHandle,
  p: m.ClassPlan,
  trainees: m.TraineeApplication[],
) {
  await approve(env, handle);
  const result = await enrol(handle, trainees);
  if (result.refused.length) throw new Error(`refused: ${JSON.stringify(result.refused)}`);
  await handle.executeUpdate(m.startTrainingUpdate, { args: [{ actor: actors.institution }] });
  await until(env, handle, atStage('TRAINING'), 1000);
  const ids = trainees.map((t) => t.enrollmentId);
  await handle.executeUpdate(m.reportAttendanceUpdate, {
    args: [{ actor: actors.institution, lessons: lessons(p, ids) }],
  });
  await handle.executeUpdate(m.finishTrainingUpdate, { args: [{ actor: actors.institution }] });
  return until(env, handle, atStage('ASSESSMENT'), 1000);
}

/** From ASSESSMENT: everyone passes with a skill-level certificate; nobody reports a job. */
export async function passAll(
  env: TestWorkflowEnvironment,
  handle: ClassHandle,
  trainees: m.TraineeApplication[],
) {
  const results = trainees.map((t, i) => ({
    enrollmentId: t.enrollmentId,
    result: 'SKILL_LEVEL_CERT' as const,
    certificateNo: `C${i}`,
  }));
  await handle.executeUpdate(m.recordAssessmentUpdate, { args: [{ actor: actors.assessor, results }] });
  return until(env, handle, atStage('FOLLOW_UP'), 1000);
}

/** The refusal a validator gave an Update: its rule code (ApplicationFailure type). */
export async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    const cause = (err as { cause?: { type?: string } }).cause;
    return cause?.type ?? String(err);
  }
  throw new Error('the update was accepted');
}

/** The read model is written by activities just after the workflow moves: look again for a moment. */
export async function eventually(check: () => Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
