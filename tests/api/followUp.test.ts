// Issue 15, points 1 and 7: the case page shows each trainee's employment follow-up window (from the trainee's
// follow-up workflow, only to those who may see the class), the refusal of a date outside it lands on the
// date field, the caseworker's note comes back with the evidence, and the timeline runs in time order across
// the class and its follow-up children, naming the trainee each event concerns.
import { HEBEI_2024 } from '../../domain/policy';
import { addDays, shanghaiDate } from '../../domain/dates';
import { lessons } from '../support/scenario';
import * as m from '../../workflows/messages';
import { apiPlan, eventually, rosterRows, startApiBed, type ApiBed } from './support';

jest.setTimeout(180_000);

let t: ApiBed;
beforeAll(async () => (t = await startApiBed({ policies: [HEBEI_2024] })));
afterAll(() => t?.teardown());

interface CaseView {
  case: m.CaseState | null;
  trainees: {
    enrollmentId: string;
    nameMasked: string;
    assessment: string | null;
    followUpWindow: m.FollowUpWindow | null;
  }[];
  evidence: { id: string; enrollmentId: string; verdict: string | null; verdictNote: string | null }[];
  timeline: {
    id: string;
    seq: number;
    at: string;
    action: string;
    enrollmentId: string | null;
  }[];
}

describe('the case page during employment follow-up', () => {
  it('shows each trainee’s window, refuses a date outside it on the date field, and orders the timeline with the trainee named', async () => {
    const { institution: inst, caseworker: cw, assessor, otherInstitution } = t.callers;
    const view = async (caller = cw) =>
      (await caller.call('get', `/api/v1/cases/${classId}`).expect(200)).body as CaseView;
    const stageIs = (stage: string) => async () => (await view()).case?.stage === stage;

    const plan = apiPlan({ title: '中式烹调师（五级）跟踪期班' });
    const classId = (await inst.call('post', '/api/v1/institution/classes').send({ plan }).expect(202)).body
      .classId as string;
    await eventually(t.bed, stageIs('UNDER_REVIEW'));
    await cw.call('post', `/api/v1/cases/${classId}/review`).send({ decision: 'APPROVE' }).expect(200);
    await eventually(t.bed, stageIs('ENROLLING'));

    // Four enrolled; one withdraws before the start (a class event about one trainee).
    const enrolled = await inst
      .call('post', `/api/v1/institution/classes/${classId}/trainees`)
      .send({ trainees: rosterRows(4, 7) })
      .expect(200);
    const ids = (enrolled.body.enrolled as { enrollmentId: string; row: number }[])
      .sort((a, b) => a.row - b.row)
      .map((e) => e.enrollmentId);
    const [passedA, passedB, failed, withdrawn] = ids as [string, string, string, string];
    await inst
      .call('delete', `/api/v1/institution/classes/${classId}/trainees/${withdrawn}`)
      .send({ reason: '学员因工作调动退学' })
      .expect(204);
    await inst.call('post', `/api/v1/institution/classes/${classId}/start`).expect(200);
    await eventually(t.bed, stageIs('TRAINING'));
    const attending = [passedA, passedB, failed];
    await inst
      .call('post', `/api/v1/institution/classes/${classId}/attendance`)
      .send({ lessons: lessons(plan, attending) })
      .expect(200);
    await inst.call('post', `/api/v1/institution/classes/${classId}/finish`).expect(200);
    await eventually(t.bed, stageIs('ASSESSMENT'));
    await assessor
      .call('post', `/api/v1/assessor/classes/${classId}/results`)
      .send({
        results: [
          { enrollmentId: passedA, result: 'SKILL_LEVEL_CERT', certificateNo: 'C-1' },
          { enrollmentId: passedB, result: 'TRAINING_CERT', certificateNo: 'T-2' },
          { enrollmentId: failed, result: 'FAILED' },
        ],
      })
      .expect(200);

    // The window of each passed trainee, as the trainee's own follow-up workflow holds it.
    const shown = await eventually(t.bed, async () => {
      const v = await view(inst);
      const a = v.trainees.find((x) => x.enrollmentId === passedA)?.followUpWindow;
      const b = v.trainees.find((x) => x.enrollmentId === passedB)?.followUpWindow;
      return a && b ? v : undefined;
    });
    const windowOf = (id: string) => shown.trainees.find((x) => x.enrollmentId === id)!.followUpWindow;
    const held = await t.bed.env.client.workflow
      .getHandle(m.followUpWorkflowId(classId, passedA))
      .query(m.followUpStateQuery);
    expect(windowOf(passedA)).toEqual(held.window);
    const w = windowOf(passedA)!;
    const finished = shown.timeline.find((e) => e.action === 'TRAINING_FINISHED')!;
    expect(w.trainingEnd).toBe(shanghaiDate(finished.at));
    expect(w.endsOn > addDays(w.trainingEnd, 85)).toBe(true); // 3 months (DOMAIN.md §6)
    // The same window the class's follow-up clock shows (its last day, and whether it is provisional).
    expect(shown.case?.clock).toMatchObject({
      task: 'EMPLOYMENT_FOLLOW_UP',
      dueAt: w.endsAt,
      provisional: w.provisional,
    });
    expect(windowOf(passedB)).toEqual(w);
    expect(windowOf(failed)).toBeNull(); // no follow-up for a failed trainee
    expect(windowOf(withdrawn)).toBeNull();
    // Staff see it too; another institution does not see the class at all.
    expect((await view(cw)).trainees.find((x) => x.enrollmentId === passedA)?.followUpWindow).toEqual(w);
    await otherInstitution.call('get', `/api/v1/cases/${classId}`).expect(404);

    // A date on the day training ended is outside the window: refused on the date field, at once.
    const submit = (enrollmentId: string, employedOn: string) =>
      inst.call('post', `/api/v1/institution/classes/${classId}/employment-evidence`).send({
        enrollmentId,
        kind: 'LABOUR_CONTRACT',
        employedOn,
        employer: '石家庄市某物业公司',
      });
    const outside = await submit(passedA, w.trainingEnd).expect(422);
    expect(outside.body.code).toBe('OUTSIDE_WINDOW');
    expect(outside.body.errors).toEqual([
      expect.objectContaining({ path: 'employedOn', code: 'OUTSIDE_WINDOW' }),
    ]);
    expect(outside.body.errors[0].message).toContain(w.endsOn);
    await submit(passedA, addDays(w.endsOn, 1)).expect(422);

    // Inside the window: A's evidence is rejected with a note, B's verified (its child then confirms).
    const a = (await submit(passedA, addDays(w.trainingEnd, 1)).expect(201)).body.evidenceId as string;
    const b = (await submit(passedB, w.endsOn).expect(201)).body.evidenceId as string;
    await cw
      .call('post', `/api/v1/cases/${classId}/trainees/${passedA}/evidence/${a}/verify`)
      .send({ verdict: 'REJECTED', note: '劳动合同未加盖公章' })
      .expect(200);
    await cw
      .call('post', `/api/v1/cases/${classId}/trainees/${passedB}/evidence/${b}/verify`)
      .send({ verdict: 'VERIFIED' })
      .expect(200);
    const after = await eventually(t.bed, async () => {
      const v = await view();
      return v.timeline.some((e) => e.action === 'EMPLOYMENT_CONFIRMED') &&
        v.evidence.find((e) => e.id === a)?.verdict === 'REJECTED'
        ? v
        : undefined;
    });
    expect(after.evidence.find((e) => e.id === a)).toMatchObject({
      enrollmentId: passedA,
      verdict: 'REJECTED',
      verdictNote: '劳动合同未加盖公章',
    });

    // The timeline: in time order across the class and its children (which number their own events from 1).
    const tl = after.timeline;
    expect(new Set(tl.map((e) => e.id)).size).toBe(tl.length);
    const times = tl.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    const index = (action: string, enrollmentId?: string) =>
      tl.findIndex((e) => e.action === action && (!enrollmentId || e.enrollmentId === enrollmentId));
    expect(index('PLAN_SUBMITTED')).toBe(0);
    expect(index('FOLLOW_UP_STARTED')).toBeLessThan(index('EVIDENCE_SUBMITTED'));
    expect(tl.filter((e) => e.action === 'EVIDENCE_SUBMITTED' && e.seq === 1).length).toBeGreaterThan(0);
    // …and each event about one trainee names that trainee.
    const about = (action: string) =>
      tl.filter((e) => e.action === action).map((e) => e.enrollmentId ?? 'nobody');
    expect(about('TRAINEE_WITHDRAWN')).toEqual([withdrawn]);
    expect(about('EVIDENCE_SUBMITTED').sort()).toEqual([passedA, passedB].sort());
    expect(about('EVIDENCE_REJECTED')).toEqual([passedA]);
    expect(about('EVIDENCE_VERIFIED')).toEqual([passedB]);
    expect(about('EMPLOYMENT_CONFIRMED')).toEqual([passedB]); // names no trainee itself: its child's
    expect(about('TRAINING_STARTED')).toEqual(['nobody']);
    expect(about('ASSESSMENT_RECORDED')).toEqual(['nobody']);
  });
});
