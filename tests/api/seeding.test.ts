// Issue 15, point 13: `npm start` seeds its demo classes while the API already takes requests. A plan filed
// meanwhile and the demo never take the same class id: both allocate ids the same way (api/classIds.ts) and
// move on past a taken one — even one taken by a class that is not in the read model at all.
import { HEBEI_2024 } from '../../domain/policy';
import { shanghaiDate } from '../../domain/dates';
import { seedDemoClasses } from '../../prisma/seed';
import { TEST_PERSON_SECRET, TEST_PII_KEY } from '../support/people';
import { INSTITUTION } from '../support/scenario';
import { TASK_QUEUE } from '../../workflows/messages';
import { apiPlan, eventually, startApiBed, type ApiBed } from './support';

jest.setTimeout(180_000);

let t: ApiBed;
beforeAll(async () => (t = await startApiBed({ policies: [HEBEI_2024] })));
afterAll(() => t?.teardown());

describe('demo seeding beside real requests', () => {
  it('gives a plan filed while the demo is seeded, and every demo class, a class id of its own', async () => {
    const client = t.bed.env.client;
    const prefix = `SJZ-${shanghaiDate(new Date().toISOString()).slice(0, 4)}-`;
    // The id both would take first is already a workflow the read model does not know (a class started a
    // moment ago, not yet projected): parked on a task queue no worker polls.
    const taken = `${prefix}000001`;
    await client.workflow.start('trainingClassWorkflow', {
      workflowId: taken,
      taskQueue: 'parked',
      args: [{ classId: taken }],
    });

    const demo = seedDemoClasses(t.bed.db, client, {
      taskQueue: TASK_QUEUE,
      keys: { piiKey: TEST_PII_KEY, personKeySecret: TEST_PERSON_SECRET },
      count: 3,
    });
    const filed = t.callers.institution
      .call('post', '/api/v1/institution/classes')
      .send({ plan: apiPlan({ title: '中式烹调师（五级）启动期间提交班' }) });
    const [seeded, answer] = await Promise.all([demo, filed]);

    expect(answer.status).toBe(202);
    const mine = answer.body.classId as string;
    expect(seeded).toHaveLength(3);
    const all = [taken, mine, ...seeded];
    expect(new Set(all).size).toBe(all.length);
    for (const id of [mine, ...seeded]) expect(id.startsWith(prefix)).toBe(true);

    // Every one of them is its own running class, in the read model with its own plan.
    const rows = await eventually(t.bed, async () => {
      const r = await t.bed.db.trainingClass.findMany({ where: { id: { in: [mine, ...seeded] } } });
      return r.length === 4 ? r : undefined;
    });
    const titleOf = (id: string) => rows.find((r) => r.id === id)?.title;
    expect(titleOf(mine)).toBe('中式烹调师（五级）启动期间提交班');
    expect(seeded.map(titleOf)).toEqual([
      '中式烹调师（五级）2026年第12期',
      '养老护理员（五级）冬季班',
      '家政服务员（五级）第8期',
    ]);
    expect(rows.find((r) => r.id === mine)?.institutionId).toBe(INSTITUTION);
    for (const id of [mine, ...seeded])
      expect((await client.workflow.getHandle(id).describe()).status.name).toBe('RUNNING');

    // The seeder goes on after the API's class, as a second start of the system would.
    const later = await seedDemoClasses(t.bed.db, client, {
      taskQueue: TASK_QUEUE,
      keys: { piiKey: TEST_PII_KEY, personKeySecret: TEST_PERSON_SECRET },
      count: 1,
    });
    expect(all).not.toContain(later[0]);
  });
});
