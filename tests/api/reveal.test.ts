// Issue 15, point 8: names and ID numbers are revealed only with a reason (the access audit's basis), for one
// trainee or the whole roster; the audit row carries the reason and the trainee, never the names; a reveal
// without a reason is refused with a field error, and the case page itself never sends clear names.
import { HEBEI_2024 } from '../../domain/policy';
import { apiPlan, eventually, rosterRows, startApiBed, type ApiBed } from './support';

jest.setTimeout(180_000);

let t: ApiBed;
let classId = '';
const roster = rosterRows(3, 41);
let enrollmentIds: string[] = [];
beforeAll(async () => {
  t = await startApiBed({ policies: [HEBEI_2024] });
  const filed = await t.callers.institution
    .call('post', '/api/v1/institution/classes')
    .send({ plan: apiPlan({ title: '育婴员（五级）实名查看班' }) })
    .expect(202);
  classId = filed.body.classId;
  const stage = async () => (await t.bed.db.trainingClass.findUnique({ where: { id: classId } }))?.stage;
  await eventually(t.bed, async () => (await stage()) === 'UNDER_REVIEW');
  await t.callers.caseworker
    .call('post', `/api/v1/cases/${classId}/review`)
    .send({ decision: 'APPROVE' })
    .expect(200);
  await eventually(t.bed, async () => (await stage()) === 'ENROLLING');
  const enrolled = await t.callers.institution
    .call('post', `/api/v1/institution/classes/${classId}/trainees`)
    .send({ trainees: roster })
    .expect(200);
  enrollmentIds = (enrolled.body.enrolled as { enrollmentId: string; row: number }[])
    .sort((a, b) => a.row - b.row)
    .map((e) => e.enrollmentId);
});
afterAll(() => t?.teardown());

const reveals = () =>
  t.bed.db.accessAudit.findMany({
    where: { action: 'PII_REVEALED', subject: classId },
    orderBy: { at: 'asc' },
  });

describe('revealing names', () => {
  it('refuses a reveal without a reason, naming the field, and records nothing', async () => {
    const before = (await reveals()).length;
    for (const body of [{}, { reason: '   ' }, { enrollmentId: enrollmentIds[0] }]) {
      const res = await t.callers.caseworker
        .call('post', `/api/v1/cases/${classId}/reveal`)
        .send(body)
        .expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'reason' })]);
    }
    // The old switch (?reveal=1) is refused the same way: there is no reveal without a reason.
    const old = await t.callers.caseworker.call('get', `/api/v1/cases/${classId}?reveal=1`).expect(400);
    expect(old.body.errors).toEqual([expect.objectContaining({ path: 'reason', code: 'REASON_REQUIRED' })]);
    expect(await reveals()).toHaveLength(before);
    // The case page sends masked names only.
    const page = await t.callers.caseworker.call('get', `/api/v1/cases/${classId}`).expect(200);
    expect(JSON.stringify(page.body)).not.toContain(roster[0]!.name);
    expect(page.body.trainees[0].name).toBeUndefined();
  });

  it('reveals one trainee with a reason and audits the reason and that trainee, never the name', async () => {
    const reason = '核对学员身份证复印件与花名册是否一致';
    const one = enrollmentIds[1]!;
    const res = await t.callers.caseworker
      .call('post', `/api/v1/cases/${classId}/reveal`)
      .set('Idempotency-Key', 'reveal-one-trainee')
      .send({ reason, enrollmentId: one })
      .expect(200);
    expect(res.headers['cache-control']).toContain('no-store');
    expect(res.body.trainees).toEqual([
      { enrollmentId: one, name: roster[1]!.name, idNumber: roster[1]!.idNumber },
    ]);
    expect(Date.parse(res.body.until) - Date.now()).toBeGreaterThan(4 * 60_000);
    const row = (await reveals()).at(-1)!;
    expect(row).toMatchObject({ userId: 'u-cw', subject: classId, reason });
    expect(JSON.parse(row.detail!)).toEqual({ enrollmentId: one, trainees: 1 });
    const stored = JSON.stringify(await t.bed.db.accessAudit.findMany());
    for (const p of roster) {
      expect(stored).not.toContain(p.name);
      expect(stored).not.toContain(p.idNumber);
    }
    // Nothing of the answer is kept for an Idempotency-Key replay.
    expect(JSON.stringify(await t.bed.db.idempotencyRecord.findMany())).not.toContain(roster[1]!.name);
  });

  it('reveals the whole roster with a reason, in one audit row', async () => {
    const res = await t.callers.manager
      .call('post', `/api/v1/cases/${classId}/reveal`)
      .send({ reason: '抽查本班实名制落实情况' })
      .expect(200);
    expect(res.body.trainees.map((tr: { name: string }) => tr.name).sort()).toEqual(
      roster.map((p) => p.name).sort(),
    );
    const row = (await reveals()).at(-1)!;
    expect(row).toMatchObject({ userId: 'u-mgr', reason: '抽查本班实名制落实情况' });
    expect(JSON.parse(row.detail!)).toEqual({ trainees: 3 });
  });

  it('answers 404 for a trainee not on the class, and refuses institutions', async () => {
    await t.callers.caseworker
      .call('post', `/api/v1/cases/${classId}/reveal`)
      .send({ reason: '核对身份', enrollmentId: 'E-nobody' })
      .expect(404);
    await t.callers.institution
      .call('post', `/api/v1/cases/${classId}/reveal`)
      .send({ reason: '核对身份' })
      .expect(403);
  });
});
