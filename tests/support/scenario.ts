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
