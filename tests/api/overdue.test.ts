// Issue 12: an overdue task says in business words who is late and since when — in the inbox and on the
// manager's dashboard — computed from the read model at read time. One class on the time-skipping server: the
// institution lets the start of training slip, then the booked assessment body lets the assessment slip.
import { HEBEI_2024 } from '../../domain/policy';
import { addDays, endOfDay } from '../../domain/dates';
import { daysPeriod, WorkingCalendar } from '../../domain/calendar';
import {
  apiPlan,
  envToday,
  eventually,
  OTHER_ASSESSOR,
  rosterRows,
  startApiBed,
  type ApiBed,
  type Caller,
} from './support';

jest.setTimeout(300_000);

let t: ApiBed;
beforeAll(async () => (t = await startApiBed({ policies: [HEBEI_2024] })));
afterAll(() => t?.teardown());

const HOURS = 3_600_000;
/** The test bed's assessment body that this class books (not the seeded default: the reason must follow the plan). */
const BOOKED_BODY_NAME = `${OTHER_ASSESSOR} 评价中心`;
const INSTITUTION_NAME = '石家庄市智联职业培训学校';

interface Reason {
  code: string;
  party: string;
  zh: string;
  en: string;
}
interface InboxItem {
  id: string;
  classId: string;
  kind: string;
  dueAt: string | null;
  overdue: boolean;
  escalated: boolean;
  overdueReason: Reason | null;
}
interface StuckRow {
  classId: string;
  reason: string;
  dueAt: string | null;
  overdueReason: Reason | null;
}

async function inboxItem(caller: Caller, classId: string, query: string): Promise<InboxItem | undefined> {
  const res = await caller.call('get', `/api/v1/tasks?role=ALL&${query}`).expect(200);
  return (res.body.items as InboxItem[]).find((x) => x.classId === classId);
}

async function stuckRow(manager: Caller, classId: string): Promise<StuckRow | undefined> {
  const res = await manager.call('get', '/api/v1/dashboard/summary').expect(200);
  return (res.body.stuck as StuckRow[]).find((s) => s.classId === classId);
}

/** The last day of an N-days period (Civil Code art. 201/203) on the shipped calendar the worker also uses. */
const lastDayOf = (eventDate: string, n: number) => daysPeriod(new WorkingCalendar(), eventDate, n).endDate;

describe('the reason an overdue task gives', () => {
  it('names the institution, then the booked assessment body, and the missed deadline in Asia/Shanghai', async () => {
    const { institutionKey: inst, caseworker: cw, manager } = t.callers;
    const plan = apiPlan({ assessmentBodyId: OTHER_ASSESSOR });
    const filed = await inst.call('post', '/api/v1/institution/classes').send({ plan }).expect(202);
    const classId = filed.body.classId as string;

    // A task on time gives no reason.
    const review = await eventually(t.bed, () => inboxItem(cw, classId, 'kind=REVIEW_PLAN'));
    expect(review.overdue).toBe(false);
    expect(review.overdueReason).toBeNull();
    await cw.call('post', `/api/v1/cases/${classId}/review`).send({ decision: 'APPROVE' }).expect(200);
    await eventually(t.bed, () => inboxItem(manager, classId, 'kind=START_TRAINING'));
    const enrolled = await inst
      .call('post', `/api/v1/institution/classes/${classId}/trainees`)
      .send({ trainees: rosterRows(2, 7) })
      .expect(200);
    expect(enrolled.body.refused).toEqual([]);

    // 开班: due at 24:00 of the planned start (the next working day when that is not one); nobody starts.
    const startDue = lastDayOf(addDays(plan.plannedStart, -1), 1);
    const lateStart = await eventually(
      t.bed,
      () => inboxItem(manager, classId, 'kind=START_TRAINING&overdue=true'),
      6 * HOURS,
    );
    expect(lateStart.dueAt).toBe(endOfDay(startDue));
    expect(lateStart.overdueReason).toEqual({
      code: 'OVERDUE:START_TRAINING',
      party: 'INSTITUTION',
      zh: `${INSTITUTION_NAME} 未在期限内开班，逾期自 ${startDue} 24:00 起`,
      en: `${INSTITUTION_NAME} has not started training; overdue since ${startDue} 24:00`,
    });
    // The manager's stuck list says the same about the case.
    const stuckStart = await stuckRow(manager, classId);
    expect(stuckStart).toMatchObject({ reason: 'OVERDUE:START_TRAINING', dueAt: endOfDay(startDue) });
    expect(stuckStart!.overdueReason).toEqual(lateStart.overdueReason);

    // Training runs and ends; the booked assessment body has 7 days (art. 203 rolls a holiday forward).
    await inst.call('post', `/api/v1/institution/classes/${classId}/start`).expect(200);
    await eventually(t.bed, () => inboxItem(manager, classId, 'kind=FINISH_TRAINING'));
    await inst.call('post', `/api/v1/institution/classes/${classId}/finish`).expect(200);
    await eventually(t.bed, () => inboxItem(manager, classId, 'kind=RECORD_ASSESSMENT'));
    const assessmentDue = lastDayOf(await envToday(t.bed), HEBEI_2024.deadlines.assessmentDays);

    const lateAssessment = await eventually(
      t.bed,
      () => inboxItem(manager, classId, 'kind=RECORD_ASSESSMENT&overdue=true'),
      6 * HOURS,
    );
    expect(lateAssessment.dueAt).toBe(endOfDay(assessmentDue));
    expect(lateAssessment.overdueReason).toEqual({
      code: 'OVERDUE:RECORD_ASSESSMENT',
      party: 'ASSESSMENT_BODY',
      zh: `${BOOKED_BODY_NAME} 未在期限内录入考核结果，逾期自 ${assessmentDue} 24:00 起`,
      en: `${BOOKED_BODY_NAME} has not recorded assessment results; overdue since ${assessmentDue} 24:00`,
    });

    // Escalated 3 working days later: the stuck case says so, still naming the booked body and the deadline.
    const escalated = await eventually(
      t.bed,
      async () => {
        const row = await stuckRow(manager, classId);
        return row?.reason === 'ESCALATED:RECORD_ASSESSMENT' ? row : undefined;
      },
      6 * HOURS,
    );
    expect(escalated.overdueReason).toEqual({
      code: 'ESCALATED:RECORD_ASSESSMENT',
      party: 'ASSESSMENT_BODY',
      zh: `${BOOKED_BODY_NAME} 未在期限内录入考核结果，逾期自 ${assessmentDue} 24:00 起，已上报科室负责人督办`,
      en: `${BOOKED_BODY_NAME} has not recorded assessment results; overdue since ${assessmentDue} 24:00; escalated to the section head`,
    });
    const inboxEscalated = await inboxItem(manager, classId, 'kind=RECORD_ASSESSMENT&escalated=true');
    expect(inboxEscalated?.overdueReason).toEqual(escalated.overdueReason);
  });
});

describe('the OpenAPI document', () => {
  it('describes the reason on inbox items and on the dashboard’s stuck cases', async () => {
    const doc = await t.callers.anonymous.call('get', '/api/openapi.json').expect(200);
    const body = (path: string) =>
      doc.body.paths[path].get.responses['200'].content['application/json'].schema.properties;
    const inboxItem = body('/api/v1/tasks').items.items.properties;
    const stuckRow = body('/api/v1/dashboard/summary').stuck.items.properties;
    for (const reason of [inboxItem.overdueReason, stuckRow.overdueReason]) {
      const object = reason.anyOf.find((s: { type: string }) => s.type === 'object');
      expect(object.properties.party.enum).toEqual([
        'CASEWORKER',
        'INSTITUTION',
        'ASSESSMENT_BODY',
        'FINANCE',
      ]);
      expect(object.required).toEqual(['code', 'party', 'zh', 'en']);
    }
  });
});
