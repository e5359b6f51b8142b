// Seeds an installation: reference data and demo users always (idempotent), and, once, a few demo classes
// driven through the real workflow into different stages, and six months of closed classes imported as from the
// bureau's predecessor system (prisma/demoHistory.ts), so the dashboard's trends mean something. Run by scripts/stack.ts after the worker is up,
// while the API already takes requests: demo classes take their ids the way a filed plan does
// (api/classIds.ts), so a plan filed meanwhile and the demo never collide.
import { Client, Connection } from '@temporalio/client';
import argon2 from 'argon2';
import { openDatabase, type Db } from '../platform/db';
import { loadSettings } from '../platform/config';
import { EncryptionCodec } from '../platform/codec';
import { seedReference } from './reference';
import { DEMO_CLOCK_REGION, DEMO_PASSWORD, DEMO_REFUSED_PAYEE, DEMO_USERS } from './demo';
import { HEBEI_2024, PolicyVersionSchema, SHIPPED_POLICIES } from '../domain/policy';
import { keyFromEnv } from '../domain/pii';
import { madeUpPerson, registerPeople, type PersonKeys } from './people';
import { addDays, shanghaiDate } from '../domain/dates';
import * as m from '../workflows/messages';
import { startClass } from '../api/classIds';
import { seedDemoPeople } from './demoPeople';
import { demoApi } from './demoApi';
import { DEMO_HISTORY_SOURCE, demoHistory } from './demoHistory';

async function seedUsers(db: Db) {
  const hash = await argon2.hash(DEMO_PASSWORD);
  for (const u of DEMO_USERS) {
    await db.user.upsert({ where: { id: u.id }, update: {}, create: { ...u, passwordHash: hash } });
  }
}

const DEMO_CATEGORIES = ['REGISTERED_UNEMPLOYED', 'RURAL_MIGRANT', 'GRADUATING_STUDENT'] as const;

const staff = {
  caseworker: { userId: 'u-caseworker', role: 'CASEWORKER' } as m.Actor,
  assessor: { userId: 'u-assessor', role: 'ASSESSOR', organisationId: 'assess-sjz-01' } as m.Actor,
  finance: { userId: 'u-finance', role: 'FINANCE' } as m.Actor,
};

/**
 * The policy of the demo's compressed-clock classes (DEMO_CLOCK_REGION, bound by the worker of DEMO_CLOCK_QUEUE):
 * Hebei's rules, every day a second (three months of follow-up last 90 s, a notice 3 s), and an advance of
 * 50 % on approval as Harbin's plan pays one, so the demo shows an advance deducted and one recovered.
 */
export const DEMO_CLOCK_POLICY = PolicyVersionSchema.parse({
  ...HEBEI_2024,
  id: 'hebei-2024-demo-clock',
  name: {
    zh: '演示加速（河北省规则，一天为一秒，先行拨付50%）',
    en: 'Demo clock (Hebei rules, a day is a second, 50 % advance)',
  },
  region: DEMO_CLOCK_REGION,
  advanceRatioPct: 50,
  clock: { secondsPerDay: 1 },
});

/** A plan of the demo institution (inst-sjz-01) as its staff would file it. */
export function demoPlan(
  title: string,
  occupationCode: string,
  start: string,
  capacity: number,
): m.ClassPlan {
  return {
    title,
    occupationCode,
    level: 'LEVEL_5',
    plannedStart: start,
    plannedEnd: addDays(start, 14),
    classHours: 80,
    capacity,
    venue: '石家庄市长安区中山东路88号实训楼',
    teachers: ['高级技师 刘建国', '技师 陈丽'],
    fundingChannel: 'EMPLOYMENT_SUBSIDY_FUND',
    commitment: false,
    courseTable: [0, 1, 2, 3, 4].map((d) => ({
      date: addDays(start, d),
      content: ['理论基础', '安全规范', '实操训练', '实操训练', '综合复习'][d]!,
      hours: 8,
      start: '08:30',
      end: '17:30',
      room: '301',
      teacher: '刘建国',
    })),
    assessmentBodyId: 'assess-sjz-01',
    plannedAssessmentDate: addDays(start, 18),
  };
}

/**
 * Drives the demo classes (the first `count` of them) into their stages; returns their ids. The ids are the
 * next free ones when each class starts, after any class filed meanwhile.
 */
export async function seedDemoClasses(
  db: Db,
  client: Client,
  opts: {
    taskQueue: string;
    keys: PersonKeys;
    count?: number;
    /** the compressed clock's task queue (its worker runs): its classes too */
    clockQueue?: string;
    /**
     * Runs once the real-time classes are seeded, while the clock's classes go on (the one paid in the end waits
     * for it before training starts: a voucher holder can join it meanwhile).
     */
    afterRealTime?: (classes: { id: string; title: string; clock?: DemoClass['clock'] }[]) => Promise<void>;
  },
): Promise<string[]> {
  const today = shanghaiDate(new Date().toISOString());
  const year = today.slice(0, 4);
  const demo: DemoClass[] = [
    {
      inst: 'inst-sjz-01',
      district: '长安区',
      title: '中式烹调师（五级）2026年第12期',
      occupation: '4-03-02-01',
      step: 'review',
      trainees: 0,
      start: addDays(today, 12),
    },
    {
      inst: 'inst-sjz-02',
      district: '桥西区',
      title: '养老护理员（五级）冬季班',
      occupation: '4-10-01-05',
      step: 'review',
      trainees: 0,
      start: addDays(today, 14),
    },
    {
      inst: 'inst-sjz-02',
      district: '桥西区',
      title: '家政服务员（五级）第8期',
      occupation: '4-10-01-06',
      step: 'returned',
      trainees: 0,
      start: addDays(today, 20),
    },
    {
      inst: 'inst-sjz-01',
      district: '长安区',
      title: '中式面点师（五级）第5期',
      occupation: '4-03-02-02',
      step: 'enrolling',
      trainees: 12,
      start: addDays(today, 7),
    },
    {
      inst: 'inst-sjz-01',
      district: '长安区',
      title: '电工（五级）第3期',
      occupation: '6-31-01-03',
      step: 'training',
      trainees: 20,
      start: addDays(today, -5),
    },
    {
      inst: 'inst-sjz-02',
      district: '桥西区',
      title: '育婴员（五级）第6期',
      occupation: '4-10-01-02',
      step: 'assessment',
      trainees: 15,
      start: addDays(today, -20),
      shared: [0],
    },
    {
      inst: 'inst-sjz-01',
      district: '长安区',
      title: '中式烹调师（五级）2026年第9期',
      occupation: '4-03-02-01',
      step: 'followup',
      trainees: 18,
      start: addDays(today, -40),
      shared: [0, 1],
    },
    // Cases a manager watches (issue 15, point 14): a start two days late (overdue, not yet escalated) and a
    // class whose planned end is eleven days past with no end of training reported (escalated). Only these two
    // deadlines count from the plan's dates; every other one counts from when its step began, so a class
    // seeded today is late nowhere else.
    {
      inst: 'inst-sjz-02',
      district: '桥西区',
      title: '养老护理员（五级）第7期',
      occupation: '4-10-01-05',
      step: 'enrolling',
      trainees: 8,
      start: addDays(today, -2),
    },
    {
      inst: 'inst-sjz-01',
      district: '长安区',
      title: '电工（五级）第2期',
      occupation: '6-31-01-03',
      step: 'training',
      trainees: 10,
      start: addDays(today, -25),
    },
    // The performance report (issue 16, point 4): two more cooking schools in the occupation of the class in
    // follow-up above (15 of 18 passed), ten trainees each (enough to be ranked). One passed every trainee, the
    // other 5 of 10: the first stands more than 25 points above its peers' median pass rate, an outlier.
    {
      inst: 'inst-sjz-03',
      district: '新华区',
      title: '中式烹调师（五级）秋季班',
      occupation: '4-03-02-01',
      step: 'followup',
      trainees: 10,
      start: addDays(today, -38),
      fails: () => false,
      evidence: 0,
    },
    {
      inst: 'inst-sjz-04',
      district: '裕华区',
      title: '中式烹调师（五级）第3期',
      occupation: '4-03-02-01',
      step: 'followup',
      trainees: 10,
      start: addDays(today, -36),
      fails: (i) => i % 2 === 1,
      evidence: 0,
    },
  ];
  // The compressed-clock classes start first: their follow-up (three months of seconds) runs while the others
  // are seeded. Each class's trainees are numbered in the demo's order, so the same people every installation.
  const classes = [...(opts.clockQueue ? DEMO_CLOCK_CLASSES(today) : []), ...demo.slice(0, opts.count)];
  const clocked = classes.filter((d) => d.clock).length;
  const firstPerson: number[] = [];
  // the demo's people by number: the real-time classes' first (others refer to them: `shared`), then the clock's
  [...classes.slice(clocked), ...classes.slice(0, clocked)].reduce(
    (n, d, i) => ((firstPerson[(i + clocked) % classes.length] = n), n + d.trainees),
    0,
  );
  const seeded: string[] = [];
  const walks: Promise<void>[] = [];
  let release = () => {};
  const realTimeDone = new Promise<void>((resolve) => (release = resolve));
  for (const [n, d] of classes.entries()) {
    const institution = {
      userId: DEMO_USERS.find((u) => u.institutionId === d.inst)!.id,
      role: 'INSTITUTION',
      organisationId: d.inst,
    } as m.Actor;
    const p = demoPlan(
      d.title,
      d.occupation,
      d.start,
      d.capacity ?? (d.clock ? d.trainees : Math.max(d.trainees, 20)),
    );
    const std = await db.occupationLevel.findUnique({
      where: { occupationCode_level: { occupationCode: d.occupation, level: 'LEVEL_5' } },
    });
    if (std) p.classHours = std.minHours;
    const id = await startClass(
      { db, temporal: client, taskQueue: d.clock ? opts.clockQueue! : opts.taskQueue },
      { institutionId: d.inst, district: d.district, plan: p, submittedBy: institution },
      year,
    );
    seeded.push(id);
    const walk = walkDemoClass(db, client, opts.keys, {
      ...d,
      id,
      plan: p,
      institution,
      no: n,
      firstPerson: firstPerson[n]!,
      hold: d.clock === 'CLOSED' ? realTimeDone : undefined,
    });
    if (d.clock) walks.push(walk);
    else await walk;
  }
  const after = Promise.resolve(
    opts.afterRealTime?.(classes.map((d, i) => ({ id: seeded[i]!, title: d.title, clock: d.clock }))),
  ).finally(release);
  await Promise.all([after, ...walks]);
  return seeded;
}

type Step = 'review' | 'returned' | 'enrolling' | 'training' | 'assessment' | 'followup';

interface DemoClass {
  inst: string;
  district: string;
  title: string;
  occupation: string;
  step: Step;
  trainees: number;
  /** the planned trainees; default: the trainees, at least 20 (on the clock: the trainees) */
  capacity?: number;
  start: string;
  /** people of the first enrolling class (by number) who trained in this class too */
  shared?: number[];
  /** which trainees (by position) fail the assessment; default: every sixth */
  fails?: (i: number) => boolean;
  /** how many trainees' employment evidence the institution files in follow-up; default 3 */
  evidence?: number;
  /**
   * On the demo's compressed clock (its own worker and DEMO_CLOCK_POLICY: a day lasts a second), where
   * finance approves the advance, and after `step` the class goes on to:
   * - REFUSED: (no further) the bank refuses the advance's transfer until finance corrects the account;
   * - OBJECTION: its public notice, where someone objects to a line (open for a caseworker);
   * - APPROVAL: its payout, the settlement batch awaiting finance's approval;
   * - CLOSED: paid (finance approves each batch) and closed.
   */
  clock?: 'REFUSED' | 'OBJECTION' | 'APPROVAL' | 'CLOSED';
}

/**
 * The demo's classes on the compressed clock: what real time does not reach in a demo (a notice with an objection,
 * payouts, a refused transfer, a class paid, closed and with an advance recovered).
 */
const DEMO_CLOCK_CLASSES = (today: string): DemoClass[] => [
  {
    inst: 'inst-sjz-03',
    district: '新华区',
    title: '中式面点师（五级）第2期（演示加速）',
    occupation: '4-03-02-02',
    step: 'followup',
    trainees: 10,
    // and a training-voucher holder the seeder enrols meanwhile (prisma/demoPeople.ts): paid, the voucher redeemed
    capacity: 11,
    start: addDays(today, -30),
    // Eight of its ten fail: the class earns less than the half it was advanced, and the rest is recovered (追回).
    fails: (i) => i >= 2 && i < 10,
    evidence: 0, // an employment date must fall after the end of training: a compressed day has no room for it
    clock: 'CLOSED',
  },
  {
    inst: 'inst-sjz-02',
    district: '桥西区',
    title: '家政服务员（五级）第9期（演示加速）',
    occupation: '4-10-01-06',
    step: 'followup',
    trainees: 10,
    start: addDays(today, -28),
    evidence: 0,
    clock: 'APPROVAL',
  },
  {
    inst: 'inst-sjz-01',
    district: '长安区',
    title: '养老护理员（五级）第8期（演示加速）',
    occupation: '4-10-01-05',
    step: 'followup',
    trainees: 10,
    start: addDays(today, -29),
    evidence: 0,
    clock: 'OBJECTION',
  },
  {
    inst: DEMO_REFUSED_PAYEE,
    district: '裕华区',
    title: '中式面点师（五级）第1期（演示加速）',
    occupation: '4-03-02-02',
    step: 'training',
    trainees: 10,
    start: addDays(today, -10),
    clock: 'REFUSED',
  },
];

/** Walks one demo class from review to its step (and, on the compressed clock, beyond), as its people would. */
async function walkDemoClass(
  db: Db,
  client: Client,
  personKeys: PersonKeys,
  d: DemoClass & {
    id: string;
    plan: m.ClassPlan;
    institution: m.Actor;
    no: number;
    firstPerson: number;
    /** what the class waits for before training starts */
    hold?: Promise<void>;
  },
) {
  const { id, plan: p, institution } = d;
  const today = shanghaiDate(new Date().toISOString());
  const year = today.slice(0, 4);
  const handle = client.workflow.getHandle(id);
  // Until the case's state says `ok`: a compressed-clock class must not miss its moment (say, a notice of 3 s).
  const until = async (
    what: string,
    ok: (st: m.CaseState) => boolean,
    waitMs = d.clock ? 300_000 : 60_000,
  ) => {
    for (const end = Date.now() + waitMs; ;) {
      const st = await handle.query(m.caseStateQuery);
      if (ok(st)) return st;
      if (Date.now() > end)
        throw new Error(`demo class ${id} (${d.title}): ${what} not reached in ${waitMs} ms`);
      // A clock class near its next deadline is watched closely, otherwise now and then.
      const near = st.clock && Date.parse(st.clock.dueAt) - Date.now() < 1_500;
      await new Promise((r) => setTimeout(r, !d.clock ? 100 : near ? 20 : 250));
    }
  };
  const at = (stage: m.Stage) => until(stage, (st) => st.stage === stage);
  // Finance approves each batch awaiting it, and sees it leave that state (the case moves it on after the Update).
  const approveBatches = async (st: m.CaseState) => {
    for (const b of st.batches.filter((x) => x.status === 'AWAITING_APPROVAL')) {
      await handle.executeUpdate(m.approvePaymentUpdate, {
        args: [{ actor: staff.finance, batchId: b.batchId }],
      });
      await until(`${b.batchId} approved`, (x) =>
        x.batches.some((y) => y.batchId === b.batchId && y.status !== 'AWAITING_APPROVAL'),
      );
    }
  };
  await at('UNDER_REVIEW');
  if (d.step === 'review') return;
  if (d.step === 'returned') {
    await handle.executeUpdate(m.reviewPlanUpdate, {
      args: [
        { actor: staff.caseworker, decision: 'RETURN', reason: '课程表缺少实操课时安排，请补充后重新提交' },
      ],
    });
    return;
  }
  await handle.executeUpdate(m.reviewPlanUpdate, {
    args: [{ actor: staff.caseworker, decision: 'APPROVE' }],
  });
  await at('ENROLLING');
  if (d.clock) {
    // 先行拨付: finance approves the advance the demo clock's policy pays on approval.
    await approveBatches(await until('the advance', (st) => st.batches.some((b) => b.kind === 'ADVANCE')));
    if (d.clock === 'REFUSED')
      await until('the refused advance back with finance', (st) =>
        st.batches.some((b) => b.kind === 'ADVANCE' && b.status === 'AWAITING_CORRECTION'),
      );
  }
  const keys = (await registerPeople(db, personKeys, d.firstPerson, d.trainees)).map((x) => x.personKey);
  // A lifelong record of several classes (issue 16): person 0 of the enrolling class also trained earlier in
  // the classes now in assessment and in follow-up, person 1 in the one in follow-up — other occupations,
  // no overlap in time, within the three subsidies a person may have.
  (d.shared ?? []).forEach((n, i) => (keys[i] = madeUpPerson(n, personKeys.personKeySecret).personKey));
  const trainees = keys.map((personKey, i) => ({
    enrollmentId: `${id}-E${String(i + 1).padStart(3, '0')}`,
    personKey,
    category: DEMO_CATEGORIES[i % 3]!,
  }));
  const enrolled = await handle.executeUpdate(m.enrolTraineesUpdate, {
    args: [{ actor: institution, trainees }],
  });
  if (enrolled.refused.length)
    throw new Error(`demo class ${id} (${d.title}) refused trainees: ${JSON.stringify(enrolled.refused)}`);
  if (d.step === 'enrolling') return;
  await d.hold;
  await handle.executeUpdate(m.startTrainingUpdate, { args: [{ actor: institution }] });
  await at('TRAINING');
  // the roster as the case holds it: its own trainees and anyone enrolled meanwhile
  const ids = (await handle.query(m.caseStateQuery)).trainees
    .filter((t) => t.status === 'ENROLLED')
    .map((t) => t.enrollmentId);
  const lessons = Array.from({ length: Math.ceil(p.classHours / 8) }, (_, i) => ({
    lessonDate: addDays(p.plannedStart, Math.min(i, 14)),
    lessonNo: i + 1,
    entries: ids.map((enrollmentId, j) => ({
      enrollmentId,
      status: j === d.trainees - 1 && i < 4 ? ('ABSENT' as const) : ('PRESENT' as const),
      hours: 8,
    })),
  }));
  await handle.executeUpdate(m.reportAttendanceUpdate, { args: [{ actor: institution, lessons }] });
  if (d.step === 'training') return;
  await handle.executeUpdate(m.finishTrainingUpdate, { args: [{ actor: institution }] });
  await at('ASSESSMENT');
  if (d.step === 'assessment') return;
  const fails = d.fails ?? ((i: number) => i % 6 === 5);
  const results = ids.map((enrollmentId, i) =>
    fails(i)
      ? { enrollmentId, result: 'FAILED' as const }
      : {
          enrollmentId,
          result: i % 4 === 3 ? ('TRAINING_CERT' as const) : ('SKILL_LEVEL_CERT' as const),
          certificateNo: `1301${year}${String(d.no).padStart(2, '0')}${String(i + 1).padStart(4, '0')}`,
        },
  );
  await handle.executeUpdate(m.recordAssessmentUpdate, { args: [{ actor: staff.assessor, results }] });
  await at('FOLLOW_UP');
  for (const enrollmentId of ids.slice(0, d.evidence ?? 3)) {
    const child = client.workflow.getHandle(m.followUpWorkflowId(id, enrollmentId));
    for (let i = 0; i < 50; i++) {
      if (
        await child.describe().then(
          () => true,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // As an institution files it: an Update checked against the trainee's window.
    await child.executeUpdate(m.submitEvidenceUpdate, {
      args: [
        {
          actor: institution,
          evidence: {
            evidenceId: `EV-${enrollmentId}`,
            kind: 'LABOUR_CONTRACT',
            employedOn: addDays(today, 1), // a labour contract starting the day after training ended
            employer: '石家庄市长安区某物业服务有限公司',
          },
        },
      ],
    });
  }
  if (!d.clock) return;
  // Follow-up ends (its three months last 90 seconds here), then the public notice (3 s) and the payout.
  if (d.clock === 'OBJECTION') {
    // NOTICE comes with the subsidy calculated; the notice is open once it is published (its clock runs).
    const st = await until(
      'the open notice',
      (x) => x.stage === 'NOTICE' && x.clock?.task === 'PUBLIC_NOTICE',
    );
    const line = st.lines.find((l) => l.kind === 'TRAINING' && l.status === 'NOTICED')!;
    // As the public objects on the notice page (api/routes/public.ts), with an id of the demo's own.
    await handle.executeUpdate(m.raiseObjectionUpdate, {
      args: [
        {
          actor: { userId: 'public', role: 'PUBLIC' },
          objectionId: `OBJ-DEMO${d.no}`,
          lineId: line.lineId,
          reason: '该学员培训期间在外务工，出勤记录存疑，请核实',
        },
      ],
    });
    return;
  }
  for (;;) {
    const st = await until(
      'a settlement to approve or the end',
      (x) =>
        x.stage === 'CLOSED' ||
        x.batches.some((b) => b.kind === 'SETTLEMENT' && b.status === 'AWAITING_APPROVAL'),
    );
    if (st.stage === 'CLOSED' || d.clock === 'APPROVAL') return;
    await approveBatches(st);
  }
}

async function main() {
  const settings = loadSettings();
  const db = openDatabase(settings.databaseUrl);
  // Demo classes once per installation, decided before the demo users exist: no one can have filed a class yet.
  const firstRun = (await db.trainingClass.count()) === 0;
  // The stack names the compressed clock's task queue when it runs that worker (scripts/stack.ts).
  const clockQueue = process.env.SKILLFLOW_DEMO_CLOCK_QUEUE || undefined;
  await seedReference(db, clockQueue ? [...SHIPPED_POLICIES, DEMO_CLOCK_POLICY] : SHIPPED_POLICIES);
  await seedUsers(db);
  const connection = await Connection.connect({ address: settings.temporalAddress });
  const client = new Client({
    connection,
    namespace: settings.temporalNamespace,
    dataConverter: { payloadCodecs: [new EncryptionCodec(settings.payloadKey)] },
  });
  try {
    if (firstRun) {
      const keys = {
        piiKey: keyFromEnv(settings.piiKey, 'SKILLFLOW_PII_KEY'),
        personKeySecret: settings.personKeySecret,
      };
      let people: Awaited<ReturnType<typeof seedDemoPeople>> | undefined;
      let imported = 0;
      if (clockQueue)
        console.log(
          'seeding the demo: its classes on the compressed clock need about two minutes to reach payout',
        );
      const ids = await seedDemoClasses(db, client, {
        taskQueue: settings.taskQueue,
        keys,
        clockQueue,
        // The people come once the real-time classes are in their stages (the enrolling class invites them).
        afterRealTime: async (classes) => {
          const real = classes.filter((c) => !c.clock).map((c) => c.id);
          const stages = new Map(
            (
              await db.trainingClass.findMany({
                where: { id: { in: real } },
                select: { id: true, stage: true },
              })
            ).map((r) => [r.id, r.stage]),
          );
          // the first demo class (in the demo's order) that is in `stage`
          const inStage = (stage: string) => real.find((id) => stages.get(id) === stage);
          people = await seedDemoPeople(db, {
            apiBase: `http://127.0.0.1:${settings.port}`,
            keys,
            enrollingClassId: inStage('ENROLLING'),
            surveyClassId: inStage('FOLLOW_UP'),
            voucherClassId: classes.find((c) => c.clock === 'CLOSED')?.id,
            startProgrammeTimer: async (input) => {
              await client.workflow.start('voucherProgrammeWorkflow', {
                taskQueue: settings.taskQueue,
                workflowId: m.voucherProgrammeWorkflowId(input.programmeId),
                args: [input],
              });
            },
          });
          // 历史数据导入: the months before SkillFlow, as the administrator brings them in from the old system.
          const admin = await demoApi(`http://127.0.0.1:${settings.port}`, 'admin');
          const history = await admin<{ imported: unknown[] }>('POST', '/admin/history/classes', {
            source: DEMO_HISTORY_SOURCE,
            classes: demoHistory(shanghaiDate(new Date().toISOString())),
          });
          imported = history.imported.length;
        },
      });
      console.log(`seeded ${ids.length} demo classes (${ids[0]} to ${ids.at(-1)})`);
      console.log(
        `imported ${imported} closed classes of the six months before this one from ${DEMO_HISTORY_SOURCE}`,
      );
      const vouchers = await db.voucher.groupBy({ by: ['status'], _count: { _all: true } });
      console.log(
        `seeded the registry (${people!.registered} people, ${people!.invited} invited), ${people!.surveys} survey answers and training vouchers ${JSON.stringify(Object.fromEntries(vouchers.map((v) => [v.status, v._count._all])))}`,
      );
    }
  } finally {
    await connection.close();
    await db.$disconnect();
  }
}

if (require.main === module)
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
