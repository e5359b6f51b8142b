// 公示档案 (issue 15 point 11): anyone can search the public notices, open and closed, by class, institution,
// occupation, district and the day published — never by a trainee. The notice carries what is searched, copied
// from its class when the notice activity publishes it; notices published before that are filled in by the
// migration.
import fs from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import { createActivities } from '../../activities';
import type { Db } from '../../platform/db';
import type { PaymentGateway } from '../../activities/payments';
import { TEST_PII_KEY } from '../support/people';
import { createTestDb } from '../support/db';
import { checkedRequest } from './contract';
import { appWithoutTemporal, INSTITUTION, OTHER_INSTITUTION, projectClass } from './support';

let db: Db;
let cleanup: () => Promise<void>;
let app: Express;

const CLASSES = [
  {
    id: 'ARC-1',
    institutionId: INSTITUTION,
    district: '长安区',
    title: '中式烹调师 2026年第1期',
    code: '4-03-02-01',
  },
  {
    id: 'ARC-2',
    institutionId: OTHER_INSTITUTION,
    district: '桥西区',
    title: '养老护理员 2026年第2期',
    code: '4-10-01-05',
  },
  {
    id: 'ARC-3',
    institutionId: INSTITUTION,
    district: '桥西区',
    title: '电工 2026年第3期',
    code: '6-31-01-03',
  },
];

const notPaying = {} as PaymentGateway;
const activities = () =>
  createActivities({ db, payments: notPaying, piiKey: TEST_PII_KEY, region: '河北省' });

/** The notice activity as the workflow calls it: round n of class c, published on a day (Asia/Shanghai noon). */
async function publish(c: (typeof CLASSES)[number], round: number, day: string) {
  await activities().publishNotice({
    classId: c.id,
    round,
    institutionId: c.institutionId,
    occupationCode: c.code,
    level: 'LEVEL_5',
    classHours: 80,
    publishedAt: `${day}T04:00:00.000Z`,
    closesAt: `${day}T16:00:00.000Z`,
    endDate: day,
    provisional: false,
    lines: [],
    people: {},
  });
}

const search = (query: string, status = 200) =>
  checkedRequest(app).get(`/api/v1/public/notices${query}`).expect(status);
const ids = async (query: string) =>
  ((await search(query)).body.items as { id: string }[]).map((n) => n.id).sort();

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  app = appWithoutTemporal(db);
  for (const c of CLASSES)
    await projectClass(db, {
      id: c.id,
      institutionId: c.institutionId,
      district: c.district,
      plan: { title: c.title, occupationCode: c.code },
    });
  await publish(CLASSES[0]!, 1, '2026-09-01');
  await publish(CLASSES[1]!, 1, '2026-10-15');
  await publish(CLASSES[2]!, 1, '2026-11-20');
  // A second round for the first class: its first notice goes to the archive.
  await publish(CLASSES[0]!, 2, '2026-11-25');
}, 60_000);
afterAll(async () => cleanup?.());

describe('the public notice archive', () => {
  it('keeps with each notice the class, institution, occupation and district it was published for', async () => {
    const notice = await db.publicNotice.findUniqueOrThrow({ where: { id: 'ARC-2-N1' } });
    const institution = await db.institution.findUniqueOrThrow({ where: { id: OTHER_INSTITUTION } });
    expect(notice).toMatchObject({
      title: '养老护理员 2026年第2期',
      institutionId: OTHER_INSTITUTION,
      institutionName: institution.name,
      occupationCode: '4-10-01-05',
      occupationName: '养老护理员',
      district: '桥西区',
    });
  });

  it('lists open notices by default, the archive with status=CLOSED, both with ALL', async () => {
    expect(await ids('')).toEqual(['ARC-1-N2', 'ARC-2-N1', 'ARC-3-N1']);
    expect(await ids('?status=CLOSED')).toEqual(['ARC-1-N1']);
    expect(await ids('?status=ALL')).toEqual(['ARC-1-N1', 'ARC-1-N2', 'ARC-2-N1', 'ARC-3-N1']);
    const archived = (await search('?status=CLOSED')).body.items[0];
    expect(archived).toMatchObject({ status: 'CLOSED', title: '中式烹调师 2026年第1期', district: '长安区' });
  });

  it('finds notices by part of the class title or id, the institution or the occupation', async () => {
    const institution = await db.institution.findUniqueOrThrow({ where: { id: INSTITUTION } });
    expect(await ids(`?status=ALL&q=${encodeURIComponent('烹调')}`)).toEqual(['ARC-1-N1', 'ARC-1-N2']);
    expect(await ids(`?status=ALL&q=${encodeURIComponent('养老护理')}`)).toEqual(['ARC-2-N1']);
    expect(await ids(`?status=ALL&q=${encodeURIComponent(institution.name.slice(0, 6))}`)).toEqual([
      'ARC-1-N1',
      'ARC-1-N2',
      'ARC-3-N1',
    ]);
    expect(await ids('?status=ALL&q=arc-3')).toEqual(['ARC-3-N1']);
    expect(await ids(`?status=ALL&q=${encodeURIComponent('没有这个')}`)).toEqual([]);
  });

  it('narrows by district, institution, occupation and the day published (Asia/Shanghai)', async () => {
    expect(await ids(`?status=ALL&district=${encodeURIComponent('桥西区')}`)).toEqual([
      'ARC-2-N1',
      'ARC-3-N1',
    ]);
    expect(await ids(`?status=ALL&institutionId=${OTHER_INSTITUTION}`)).toEqual(['ARC-2-N1']);
    expect(await ids('?status=ALL&occupationCode=6-31-01-03')).toEqual(['ARC-3-N1']);
    // published 2026-10-15 12:00 in Shanghai: inside a period that ends that day, outside one that starts after
    expect(await ids('?status=ALL&from=2026-10-01&to=2026-10-15')).toEqual(['ARC-2-N1']);
    expect(await ids('?status=ALL&from=2026-10-16&to=2026-11-20')).toEqual(['ARC-3-N1']);
    expect(await ids('?status=ALL&from=2026-11-21')).toEqual(['ARC-1-N2']);
  });

  it('refuses a reversed period and a bad status on the field, and searches no trainee data', async () => {
    const reversed = await search('?status=ALL&from=2026-11-01&to=2026-10-01', 422);
    expect(reversed.body.code).toBe('PERIOD_REVERSED');
    expect(reversed.body.errors).toEqual([
      expect.objectContaining({ path: 'from', code: 'PERIOD_REVERSED' }),
    ]);
    const bad = await search('?status=DELETED', 400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'status' })]);
    // The rows (masked names and ID numbers) are published but not searchable: a notice line's text finds nothing.
    await db.publicNotice.update({
      where: { id: 'ARC-3-N1' },
      data: { rows: JSON.stringify([{ lineId: 'L-1', trainee: '王*', idNumber: '130102********1234' }]) },
    });
    expect(await ids(`?status=ALL&q=${encodeURIComponent('王*')}`)).toEqual([]);
    expect(await ids('?status=ALL&q=1234')).toEqual([]);
  });

  it('fills in notices published before the archive from their class (the migration)', async () => {
    await db.publicNotice.create({
      data: {
        id: 'ARC-2-N0',
        classId: 'ARC-2',
        round: 0,
        publishedAt: new Date('2026-08-01T04:00:00Z'),
        closesAt: new Date('2026-08-04T16:00:00Z'),
        endDate: '2026-08-04',
        rows: '[]',
        status: 'CLOSED',
      },
    });
    const postgres = Boolean(process.env.SKILLFLOW_TEST_DATABASE_URL);
    const sql = fs.readFileSync(
      path.join(
        __dirname,
        '..',
        '..',
        'prisma',
        ...(postgres ? ['postgres'] : []),
        'migrations',
        '20261204000000_notice_archive',
        'migration.sql',
      ),
      'utf8',
    );
    // its UPDATEs, run again on a notice the ALTERs found without these fields
    for (const statement of sql.split(';').filter((s) => /^\s*(--[^\n]*\n\s*)*UPDATE/.test(s)))
      await db.$executeRawUnsafe(statement);
    const filled = await db.publicNotice.findUniqueOrThrow({ where: { id: 'ARC-2-N0' } });
    expect(filled).toMatchObject({
      title: '养老护理员 2026年第2期',
      institutionId: OTHER_INSTITUTION,
      occupationName: '养老护理员',
      district: '桥西区',
    });
    expect(filled.institutionName).not.toBe('');
  });

  it('counts a notice published at midnight to the day it begins, not the day before', async () => {
    await db.publicNotice.create({
      data: {
        id: 'ARC-2-N9',
        classId: 'ARC-2',
        round: 9,
        publishedAt: new Date('2026-08-09T16:00:00Z'), // 2026-08-10 00:00 in Shanghai
        closesAt: new Date('2026-08-13T16:00:00Z'),
        endDate: '2026-08-13',
        rows: '[]',
        status: 'CLOSED',
      },
    });
    expect(await ids('?status=ALL&from=2026-08-01&to=2026-08-09')).toEqual(['ARC-2-N0']);
    expect(await ids('?status=ALL&from=2026-08-10&to=2026-08-10')).toEqual(['ARC-2-N9']);
  });
});
