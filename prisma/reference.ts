// Reference data every installation starts with: the shipped policy versions, the occupation catalogue,
// and (for the demo) four designated training institutions and one assessment body. Idempotent.
import type { Db } from '../platform/db';
import { OCCUPATION_CATALOGUE } from '../domain/occupations';
import { SHIPPED_POLICIES, type PolicyVersion } from '../domain/policy';

export const DEMO_INSTITUTIONS = [
  {
    id: 'inst-sjz-01',
    name: '石家庄市智联职业培训学校',
    kind: 'TRAINING',
    district: '长安区',
    creditCode: '52130102MJ0000001A',
    bankAccount: '0402 0000 1920 0001 234',
    courses: ['4-03-02-01', '4-03-02-02', '6-31-01-03', '4-01-02-07', '4-14-02-02'],
  },
  {
    id: 'inst-sjz-02',
    name: '石家庄市燕赵家政职业培训学校',
    kind: 'TRAINING',
    district: '桥西区',
    creditCode: '52130104MJ0000002B',
    bankAccount: '1302 0100 0400 0002 345',
    courses: ['4-10-01-02', '4-10-01-03', '4-10-01-05', '4-10-01-06'],
  },
  // Two more cooking schools, so the performance report compares three institutions in one occupation (one of
  // them an outlier in the demo: every trainee passed).
  {
    id: 'inst-sjz-03',
    name: '石家庄市鼎鑫烹饪职业培训学校',
    kind: 'TRAINING',
    district: '新华区',
    creditCode: '52130105MJ0000004D',
    bankAccount: '0402 0000 1920 0004 567',
    courses: ['4-03-02-01', '4-03-02-02'],
  },
  {
    id: 'inst-sjz-04',
    name: '石家庄市华厨职业技能培训学校',
    kind: 'TRAINING',
    district: '裕华区',
    creditCode: '52130108MJ0000005E',
    bankAccount: '1302 0100 0400 0005 678',
    courses: ['4-03-02-01'],
  },
  {
    id: 'assess-sjz-01',
    name: '石家庄市职业技能鉴定中心',
    kind: 'ASSESSMENT',
    district: '新华区',
    creditCode: '12130100MB0000003C',
    bankAccount: '1302 0100 0400 0003 456',
    courses: [],
  },
] as const;

export async function seedReference(
  db: Db,
  policies: readonly PolicyVersion[] = SHIPPED_POLICIES,
): Promise<void> {
  for (const p of policies) {
    await db.policyVersion.upsert({
      where: { id: p.id },
      update: {},
      create: { id: p.id, region: p.region, effectiveFrom: p.effectiveFrom, document: JSON.stringify(p) },
    });
  }
  for (const o of OCCUPATION_CATALOGUE) {
    await db.occupation.upsert({
      where: { code: o.code },
      update: {},
      create: {
        code: o.code,
        nameZh: o.name.zh,
        nameEn: o.name.en,
        shortage: o.shortage,
        newOccupation: o.newOccupation,
      },
    });
    for (const l of o.levels) {
      await db.occupationLevel.upsert({
        where: { occupationCode_level: { occupationCode: o.code, level: l.level } },
        update: {},
        create: {
          occupationCode: o.code,
          level: l.level,
          standardFen: l.standardFen,
          evaluationFen: l.evaluationFen,
          minHours: l.minHours,
        },
      });
    }
  }
  for (const i of DEMO_INSTITUTIONS) {
    await db.institution.upsert({
      where: { id: i.id },
      update: {},
      create: {
        id: i.id,
        name: i.name,
        kind: i.kind,
        district: i.district,
        creditCode: i.creditCode,
        bankAccount: i.bankAccount,
        validFrom: '2024-01-01',
        validTo: '2027-12-31',
        courses: JSON.stringify(i.courses),
      },
    });
  }
}
