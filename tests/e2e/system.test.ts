// The foundation as a newcomer meets it: the whole system comes up on one machine, reports healthy,
// serves the web UI and the Temporal UI, and keeps every case and its stage across a restart.
import { Client, Connection } from '@temporalio/client';
import { startStack, type TestStack } from '../support/stack';
import { EncryptionCodec } from '../../platform/codec';
import * as m from '../../workflows/messages';
import { madeUpPerson } from '../../prisma/people';
import { REGISTRY_SIZE } from '../../prisma/demoPeople';
import { addDays, shanghaiDate } from '../../domain/dates';
import { demoApi } from '../../prisma/demoApi';
import { DEMO_HISTORY_SOURCE, demoHistory } from '../../prisma/demoHistory';

jest.setTimeout(300_000);

async function caseStages(stack: TestStack): Promise<Record<string, string>> {
  const connection = await Connection.connect({ address: stack.env.TEMPORAL_ADDRESS });
  const client = new Client({
    connection,
    dataConverter: { payloadCodecs: [new EncryptionCodec(stack.env.SKILLFLOW_PAYLOAD_KEY!)] },
  });
  try {
    const stages: Record<string, string> = {};
    for await (const wf of client.workflow.list({ query: `WorkflowType = 'trainingClassWorkflow'` })) {
      stages[wf.workflowId] = (await client.workflow.getHandle(wf.workflowId).query(m.caseStateQuery)).stage;
    }
    return stages;
  } finally {
    await connection.close();
  }
}

describe('SkillFlow on one machine', () => {
  let stack: TestStack | undefined;
  afterAll(async () => {
    await stack?.stop();
    stack?.remove();
  });

  it('starts healthy with demo cases in several stages, and resumes the same cases after a restart', async () => {
    stack = await startStack();
    const health = await fetch(stack.urls.health);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    // Idle connections outlive a client's 4-second keep-alive, so a reused socket is never closed under it.
    expect(health.headers.get('keep-alive')).toBe('timeout=65');
    const web = await fetch(stack.urls.web);
    expect([web.status, web.headers.get('content-type')]).toEqual([
      200,
      expect.stringContaining('text/html'),
    ]);
    expect((await fetch(stack.urls.temporalUi)).status).toBe(200);

    const before = await caseStages(stack);
    expect(Object.keys(before).length).toBeGreaterThanOrEqual(7);
    expect(new Set(Object.values(before))).toEqual(
      new Set(['UNDER_REVIEW', 'RETURNED', 'ENROLLING', 'TRAINING', 'ASSESSMENT', 'FOLLOW_UP']),
    );

    // Issue 16's demo: the registry and the invitations of the enrolling class, a person with a record of three
    // classes, and the satisfaction answers of the class in follow-up in the performance report.
    const base = new URL('/', stack.urls.web).href;
    const caseworker = await demoApi(base, 'caseworker');
    const titled = async (title: string) =>
      (
        await caseworker<{ items: { id: string; title: string }[] }>(
          'GET',
          `/cases?q=${encodeURIComponent(title)}`,
        )
      ).items.find((c) => c.title === title)!.id;
    const enrolling = await titled('中式面点师（五级）第5期');
    expect(before[enrolling]).toBe('ENROLLING');
    const invitations = await caseworker<{ items: { status: string }[] }>(
      'GET',
      `/cases/${enrolling}/invitations`,
    );
    const statuses = invitations.items.map((i) => i.status).sort();
    expect(statuses).toEqual(['ACCEPTED', 'ACCEPTED', 'DECLINED', 'SENT', 'SENT', 'SENT']);
    const candidates = await caseworker<{ items: { category: string; invitation: string | null }[] }>(
      'GET',
      `/cases/${enrolling}/candidates`,
    );
    // Registered unemployed first (the outreach priority), the invited ones marked; more than those invited.
    expect(candidates.items[0]!.category).toBe('REGISTERED_UNEMPLOYED');
    expect(candidates.items.filter((c) => c.invitation).length).toBe(6);
    expect(candidates.items.length).toBeGreaterThan(6);
    expect(candidates.items.length).toBeLessThanOrEqual(REGISTRY_SIZE);

    // 电子培训券: the demo programme, twelve vouchers issued by rule, some claimed, one reserved by an enrolment
    // this season's, and last season's, which ended a month ago: its six vouchers nobody used have expired
    const programmes = await caseworker<{
      items: {
        name: string;
        ended: boolean;
        vouchers: { issued: number; claimed: number; reserved: number; expired: number; remaining: number };
      }[];
    }>('GET', '/vouchers/programmes');
    expect(programmes.items.map((p) => [p.name, p.ended]).sort()).toEqual([
      ['2026年冬季烹饪类职业技能培训券', false],
      ['2026年秋季家政服务类职业技能培训券', true],
    ]);
    const current = programmes.items.find((p) => !p.ended)!;
    expect(current.vouchers).toMatchObject({ issued: 12, reserved: 1, expired: 0, remaining: 18 });
    expect(current.vouchers.claimed).toBeGreaterThanOrEqual(4);
    const ended = programmes.items.find((p) => p.ended)!;
    for (let i = 0; i < 120 && ended.vouchers.expired < 6; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250)); // the programme's timer has fired; its expiry follows
      Object.assign(
        ended,
        (await caseworker<typeof programmes>('GET', '/vouchers/programmes')).items.find((p) => p.ended),
      );
    }
    expect(ended.vouchers).toMatchObject({ issued: 6, claimed: 2, expired: 6 }); // two had been claimed, none used

    const record = await caseworker<{ classes: { classId: string; occupationCode: string }[] }>(
      'POST',
      '/people/record',
      {
        idNumber: madeUpPerson(0, 'any secret: only the ID number is used').idNumber,
        reason: '系统测试：查看演示人员档案',
      },
    );
    const stagesOfPerson0 = record.classes.map((c) => before[c.classId]).sort();
    expect(stagesOfPerson0).toEqual(['ASSESSMENT', 'ENROLLING', 'FOLLOW_UP']);
    expect(new Set(record.classes.map((c) => c.occupationCode)).size).toBe(3);

    const manager = await demoApi(base, 'manager');
    const today = shanghaiDate(new Date().toISOString());
    const report = await manager<{
      institutions: { institutionId: string; satisfaction: number | null; figures: { surveys: number } }[];
      warnings: { rateOutliers: Record<string, unknown>[] };
    }>('GET', `/performance?from=${addDays(today, -90)}&to=${today}`);
    const inst1 = report.institutions.find((i) => i.institutionId === 'inst-sjz-01')!;
    expect(inst1.figures.surveys).toBe(12); // two in three of the 18 trainees in follow-up
    expect(inst1.satisfaction).toBeGreaterThan(3);
    expect(inst1.satisfaction).toBeLessThan(5);
    // Four institutions with results; three cooking schools in 中式烹调师 (15 of 18, 10 of 10 and 5 of 10 passed):
    // the one that passed everyone stands 33.3 points above its peers' median (66.7 %) and is the one outlier.
    expect(report.institutions.map((i) => i.institutionId).sort()).toEqual([
      'inst-sjz-01',
      'inst-sjz-02',
      'inst-sjz-03',
      'inst-sjz-04',
    ]);
    expect(report.warnings.rateOutliers).toEqual([
      expect.objectContaining({
        kind: 'PASS_RATE_OUTLIER',
        institutionId: 'inst-sjz-03',
        institutionName: '石家庄市鼎鑫烹饪职业培训学校',
        occupationCode: '4-03-02-01',
        ratePct: 100,
        peerMedianPct: 66.7,
        peers: 2,
      }),
    ]);

    // Issue 15, point 14: what a manager watches. A start two days late (overdue, not yet escalated) and an end
    // of training eleven days late (escalated to the section head), each with the institution named.
    const lateStart = await titled('养老护理员（五级）第7期');
    const lateEnd = await titled('电工（五级）第2期');
    expect([before[lateStart], before[lateEnd]]).toEqual(['ENROLLING', 'TRAINING']);
    type Stuck = { classId: string; reason: string; overdueReason: { zh: string } | null };
    const stuckOf = async () => (await manager<{ stuck: Stuck[] }>('GET', '/dashboard/summary')).stuck;
    let stuck = await stuckOf();
    for (let i = 0; i < 30 && !stuck.some((c) => c.reason === 'ESCALATED:FINISH_TRAINING'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // the summary is a few seconds old at most
      stuck = await stuckOf();
    }
    const stuckCase = (id: string) => stuck.find((c) => c.classId === id);
    expect(stuckCase(lateStart)?.reason).toBe('OVERDUE:START_TRAINING');
    expect(stuckCase(lateStart)?.overdueReason?.zh).toMatch(
      /^石家庄市燕赵家政职业培训学校 未在期限内.*逾期自/,
    );
    expect(stuckCase(lateStart)?.overdueReason?.zh).not.toContain('上报');
    expect(stuckCase(lateEnd)?.reason).toBe('ESCALATED:FINISH_TRAINING');
    expect(stuckCase(lateEnd)?.overdueReason?.zh).toMatch(
      /^石家庄市智联职业培训学校 未在期限内.*已上报科室负责人督办$/,
    );
    // Nothing else of the demo is late: every other deadline counts from when its step began.
    expect(stuck.map((c) => c.classId).sort()).toEqual([lateStart, lateEnd].sort());

    // Issue 15, point 14: the months before SkillFlow, imported as from the bureau's predecessor system
    // (prisma/demoHistory.ts), so the dashboard's trends mean something: three classes closed in each of the six
    // months before this one, each paid, and none of them a case anyone can act on.
    const { trends } = await manager<{
      trends: { month: string; opened: number; closed: number; paidFen: number }[];
    }>('GET', '/dashboard/summary');
    const history = demoHistory(today);
    expect(trends.slice(-7, -1).map((t) => [t.month, t.closed])).toEqual(
      [...new Set(history.map((h) => h.closedOn.slice(0, 7)))].map((month) => [month, 3]),
    );
    expect(trends.slice(-7, -1).every((t) => t.paidFen > 0)).toBe(true);
    const closed = await caseworker<{ items: { id: string; imported: { source: string } | null }[] }>(
      'GET',
      '/cases?stage=CLOSED&limit=100',
    );
    expect(closed.items.filter((c) => c.imported?.source === DEMO_HISTORY_SOURCE)).toHaveLength(18);

    const dataDir = stack.dataDir;
    await stack.stop();
    expect((await fetch(stack.urls.health).catch(() => undefined))?.status).toBeUndefined();
    stack = await startStack({ dataDir });
    expect((await fetch(stack.urls.health)).status).toBe(200);
    expect(await caseStages(stack)).toEqual(before);
  });
});
