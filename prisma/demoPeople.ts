// The people side of the demo (issue 16): a registry of job seekers for 政策找人 and invitations to the enrolling
// class, sent through the API as the demo caseworker would; and what people answered from their self-service
// page (an invitation accepted or declined, the satisfaction survey after training, a training voucher claimed),
// written as those answers are stored — the public pages are rate-limited per client, and the demo must not spend a visitor's budget.
import type { Db } from '../platform/db';
import type { TraineeCategory } from '../domain/categories';
import { addDays, shanghaiDate } from '../domain/dates';
import { madeUpPerson, type PersonKeys } from './people';
import { demoApi } from './demoApi';
import { readableId } from '../api/auth/tokens';
import type { VoucherProgrammeInput } from '../workflows/messages';

/** Registry people are numbered from here (the demo trainees take the numbers below). */
export const REGISTRY_FROM = 200;
export const REGISTRY_SIZE = 36;
const INVITED = 6;

const CATEGORIES: TraineeCategory[] = [
  'REGISTERED_UNEMPLOYED',
  'RURAL_MIGRANT',
  'EMPLOYMENT_DIFFICULTY',
  'GRADUATING_STUDENT',
  'POVERTY_MONITORED',
  'UNENROLLED_SCHOOL_LEAVER',
];
const DISTRICTS = ['长安区', '桥西区', '裕华区', '新华区'];

/**
 * Registers the demo registry, invites the best-ranked candidates to the enrolling class and records a few
 * answers; lets the trainees of the class in follow-up answer the satisfaction survey. Returns what it made.
 */
export async function seedDemoPeople(
  db: Db,
  opts: {
    apiBase: string;
    keys: PersonKeys;
    enrollingClassId?: string;
    surveyClassId?: string;
    /** a class paid before the demo is done (on the compressed clock): a second holder joins it, to be redeemed */
    voucherClassId?: string;
    /** starts a programme's durable timer of its last day (voucherProgrammeWorkflow), as setting it up does */
    startProgrammeTimer?: (input: VoucherProgrammeInput) => Promise<void>;
  },
): Promise<{ registered: number; invited: number; surveys: number; vouchers: Record<string, number> }> {
  const caseworker = await demoApi(opts.apiBase, 'caseworker');
  const today = shanghaiDate(new Date().toISOString());
  for (let i = 0; i < REGISTRY_SIZE; i++) {
    const person = madeUpPerson(REGISTRY_FROM + i, opts.keys.personKeySecret);
    await caseworker('POST', '/people/registry', {
      idNumber: person.idNumber,
      name: person.name,
      category: CATEGORIES[i % CATEGORIES.length],
      district: DISTRICTS[i % DISTRICTS.length],
      registeredOn: addDays(today, -3 * (i + 1)),
    });
  }

  let invited = 0;
  if (opts.enrollingClassId) {
    const candidates = await caseworker<{ items: { registrantId: string }[] }>(
      'GET',
      `/cases/${opts.enrollingClassId}/candidates`,
    );
    const sent = await caseworker<{ sent: { invitationId: string }[] }>(
      'POST',
      `/cases/${opts.enrollingClassId}/invitations`,
      { registrantIds: candidates.items.slice(0, INVITED).map((c) => c.registrantId) },
    );
    invited = sent.sent.length;
    // Two said yes and one no from their self-service page; the rest have not answered yet.
    const answers = ['ACCEPTED', 'ACCEPTED', 'DECLINED'];
    for (const [i, status] of answers.entries()) {
      const id = sent.sent[i]?.invitationId;
      if (id) await db.invitation.update({ where: { id }, data: { status, respondedAt: new Date() } });
    }
  }

  let surveys = 0;
  if (opts.surveyClassId) {
    const cls = await db.trainingClass.findUnique({
      where: { id: opts.surveyClassId },
      select: { institutionId: true },
    });
    const enrolled = await db.enrollment.findMany({
      where: { classId: opts.surveyClassId, status: 'ENROLLED' },
      orderBy: { id: 'asc' },
      select: { id: true },
    });
    // Two in three answered; mostly content, one unhappy with the practical training.
    for (const [i, e] of enrolled.entries()) {
      if (!cls || i % 3 === 2) continue;
      const unhappy = i === 4;
      await db.satisfactionSurvey.create({
        data: {
          enrollmentId: e.id,
          classId: opts.surveyClassId,
          institutionId: cls.institutionId,
          teaching: unhappy ? 3 : 4 + (i % 2),
          practice: unhappy ? 2 : 4 + ((i + 1) % 2),
          overall: unhappy ? 3 : 5 - (i % 2),
          comment: unhappy ? '实操设备太少，轮不上练习' : i === 0 ? '老师讲得清楚，实操很有用' : null,
        },
      });
      surveys++;
    }
  }
  const vouchers = await seedDemoVouchers(db, opts, today);
  return { registered: REGISTRY_SIZE, invited, surveys, vouchers };
}

/**
 * 电子培训券: a programme for the cooking trades set up by the demo manager, vouchers issued by rule by the demo
 * caseworker, a third of them claimed (as the people would from their self-service page), and claimed vouchers
 * put to use: a holder enrolled in the enrolling class (a pastry class, one of the programme's occupations) by
 * its institution, and with the compressed clock a second one in `voucherClassId`, a pastry class paid before
 * the demo is done (its voucher is redeemed then). Expired vouchers: last season's programme (seedEndedProgramme).
 * Answers the vouchers of this season's programme in each status.
 */
async function seedDemoVouchers(
  db: Db,
  opts: {
    apiBase: string;
    keys: PersonKeys;
    enrollingClassId?: string;
    voucherClassId?: string;
    startProgrammeTimer?: (input: VoucherProgrammeInput) => Promise<void>;
  },
  today: string,
): Promise<Record<string, number>> {
  if (opts.startProgrammeTimer) await seedEndedProgramme(db, opts.keys, today, opts.startProgrammeTimer);
  const manager = await demoApi(opts.apiBase, 'manager');
  const caseworker = await demoApi(opts.apiBase, 'caseworker');
  const { programmeId } = await manager<{ programmeId: string }>('POST', '/vouchers/programmes', {
    name: '2026年冬季烹饪类职业技能培训券',
    occupationCodes: ['4-03-02-01', '4-03-02-02'],
    levels: ['LEVEL_5'],
    categories: ['REGISTERED_UNEMPLOYED', 'RURAL_MIGRANT', 'EMPLOYMENT_DIFFICULTY'],
    institutionIds: [],
    validFrom: today,
    validUntil: addDays(today, 90),
    quantity: 30,
    fundingChannel: 'EMPLOYMENT_SUBSIDY_FUND',
  });
  const issued = await caseworker<{ issued: { voucherId: string }[] }>(
    'POST',
    `/vouchers/programmes/${programmeId}/issue`,
    { rule: { limit: 12 } },
  );
  const claimed = issued.issued.filter((_, i) => i % 3 === 0).map((v) => v.voucherId);
  const vouchers = await db.voucher.findMany({
    where: { id: { in: issued.issued.map((v) => v.voucherId) } },
  });
  const people = Array.from({ length: REGISTRY_SIZE }, (_, i) =>
    madeUpPerson(REGISTRY_FROM + i, opts.keys.personKeySecret),
  );
  const taken = new Set<string>();
  /**
   * A holder who puts the voucher to use: a candidate of the class (the enrolment rules take them) who was not
   * invited to it and holds none of the vouchers already put to use.
   */
  const holderFor = async (classId: string) => {
    const candidates = await caseworker<{ items: { registrantId: string; invitation: string | null }[] }>(
      'GET',
      `/cases/${classId}/candidates?limit=100`,
    );
    const uninvited = await db.registrant.findMany({
      where: { id: { in: candidates.items.filter((c) => !c.invitation).map((c) => c.registrantId) } },
    });
    for (const v of vouchers) {
      const r = uninvited.find((x) => x.personKey === v.personKey);
      const p = people.find((x) => x.personKey === v.personKey);
      if (!r || !p || taken.has(v.id)) continue;
      taken.add(v.id);
      if (!claimed.includes(v.id)) claimed.push(v.id);
      return { idNumber: p.idNumber, name: p.name, category: r.category };
    }
    return undefined;
  };
  const uses = [
    { classId: opts.enrollingClassId, institution: 'inst1' },
    { classId: opts.voucherClassId, institution: 'inst3' },
  ];
  const holders = [];
  for (const u of uses)
    if (u.classId) holders.push({ ...u, classId: u.classId, holder: await holderFor(u.classId) });
  await db.voucher.updateMany({
    where: { id: { in: claimed }, status: 'ISSUED' },
    data: { status: 'CLAIMED', claimedAt: new Date() },
  });
  for (const { classId, institution, holder } of holders) {
    if (!holder) continue;
    const api = await demoApi(opts.apiBase, institution);
    // A demo that cannot enrol the holder (a rule changed) leaves the voucher claimed; seeding goes on.
    await api('POST', `/institution/classes/${classId}/trainees`, {
      trainees: [holder],
      requireVoucher: true,
    }).catch((err: unknown) => console.warn(`demo voucher enrolment in ${classId} left out: ${String(err)}`));
  }
  const counts = await db.voucher.groupBy({ by: ['status'], where: { programmeId }, _count: { _all: true } });
  return Object.fromEntries(counts.map((c) => [c.status, c._count._all]));
}

/**
 * Last season's programme, which ended a month ago: the demo's expired vouchers. A programme cannot be set up
 * with its last day past (the API refuses it), so it comes as a bureau migrating to SkillFlow brings its earlier
 * programmes: its row and its vouchers as they stood (six issued, two of them claimed, none put to use), then
 * its timer as setting it up starts it. The timer finds the last day over and expires them the way every
 * programme's vouchers expire (workflows/vouchers.ts, activities/vouchers.ts).
 */
async function seedEndedProgramme(
  db: Db,
  keys: PersonKeys,
  today: string,
  startProgrammeTimer: (input: VoucherProgrammeInput) => Promise<void>,
) {
  const validFrom = addDays(today, -120);
  const validUntil = addDays(today, -31);
  const programmeId = `VP-${readableId(10, `demo ended programme ${validFrom}`).slice(0, 10)}`;
  const issuedAt = new Date(`${addDays(validFrom, 3)}T09:00:00+08:00`);
  await db.voucherProgramme.create({
    data: {
      id: programmeId,
      name: '2026年秋季家政服务类职业技能培训券',
      occupationCodes: JSON.stringify(['4-10-01-06', '4-10-01-05']),
      levels: JSON.stringify(['LEVEL_5']),
      categories: JSON.stringify(['REGISTERED_UNEMPLOYED', 'RURAL_MIGRANT', 'EMPLOYMENT_DIFFICULTY']),
      institutionIds: JSON.stringify([]),
      validFrom,
      validUntil,
      quantity: 10,
      fundingChannel: 'EMPLOYMENT_SUBSIDY_FUND',
      createdBy: 'u-manager',
      createdAt: new Date(`${validFrom}T09:00:00+08:00`),
    },
  });
  for (let i = 0; i < 6; i++) {
    const person = madeUpPerson(REGISTRY_FROM + REGISTRY_SIZE - 1 - i, keys.personKeySecret);
    await db.voucher.create({
      data: {
        id: `TV-${readableId(12, `demo ended voucher ${programmeId} ${person.personKey}`).slice(0, 12)}`,
        programmeId,
        personKey: person.personKey,
        status: i < 2 ? 'CLAIMED' : 'ISSUED',
        issuedBy: 'u-caseworker',
        issuedAt,
        ...(i < 2 ? { claimedAt: new Date(`${addDays(validFrom, 10)}T10:00:00+08:00`) } : {}),
      },
    });
  }
  await startProgrammeTimer({ programmeId, validUntil });
}
