// 附件 (issue 15 point 11): documents uploaded to a case are kept as uploaded, with their SHA-256, shown to the
// staff and to the class's institution only, and every download is on the access audit. The file's type is read
// from its bytes; a name cannot carry a path or turn itself around on screen.
import { createHash } from 'node:crypto';
import type { Express } from 'express';
import type { Db } from '../../platform/db';
import { createTestDb } from '../support/db';
import {
  appWithoutTemporal,
  ASSESSOR_BODY,
  binaryBody,
  loggedIn,
  INSTITUTION,
  OTHER_INSTITUTION,
  projectClass,
  type Caller,
} from './support';

let db: Db;
let cleanup: () => Promise<void>;
let app: Express;
const as: Record<string, Caller> = {};

const OPEN = 'ATT-CLASS-1';
const ENDED = 'ATT-CLASS-2';
const THEIRS = 'ATT-CLASS-3';
const TRAINEE = `${OPEN}-E001`;
const OTHER_TRAINEE = `${THEIRS}-E001`;

// The smallest files of each kind a scanner or a phone produces: their first bytes are what counts.
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from('1 0 obj <<>> endobj\n%%EOF\n')]);
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 7),
]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const upload = (who: string, classId: string, query: string) =>
  as[who]!.call('post', `/api/v1/cases/${classId}/attachments${query}`);
const list = (who: string, classId: string, query = '') =>
  as[who]!.call('get', `/api/v1/cases/${classId}/attachments${query}`);
const download = (who: string, classId: string, attachmentId: string) =>
  as[who]!.call('get', `/api/v1/cases/${classId}/attachments/${attachmentId}`);
const fileOf = (who: string, classId: string, attachmentId: string) =>
  download(who, classId, attachmentId).buffer(true).parse(binaryBody);

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  app = appWithoutTemporal(db);
  await projectClass(db, { id: OPEN, institutionId: INSTITUTION, stage: 'FOLLOW_UP' });
  await projectClass(db, { id: ENDED, institutionId: INSTITUTION, stage: 'CLOSED' });
  await projectClass(db, { id: THEIRS, institutionId: OTHER_INSTITUTION, stage: 'FOLLOW_UP' });
  await db.enrollment.create({
    data: { id: TRAINEE, classId: OPEN, personKey: 'pk-att-1', category: 'REGISTERED_UNEMPLOYED' },
  });
  await db.enrollment.create({
    data: { id: OTHER_TRAINEE, classId: THEIRS, personKey: 'pk-att-2', category: 'REGISTERED_UNEMPLOYED' },
  });
  Object.assign(
    as,
    await loggedIn(db, app, [
      ['inst', 'INSTITUTION', INSTITUTION],
      ['other', 'INSTITUTION', OTHER_INSTITUTION],
      ['cw', 'CASEWORKER'],
      ['fin', 'FINANCE'],
      ['asr', 'ASSESSOR', ASSESSOR_BODY],
    ] as const),
  );
}, 60_000);
afterAll(async () => cleanup?.());

describe('documents on a case', () => {
  it('keeps a contract exactly as the institution uploaded it, and the caseworker gets the same bytes', async () => {
    const res = await upload('inst', OPEN, `?kind=LABOUR_CONTRACT&enrollmentId=${TRAINEE}`)
      .attach('file', PDF, { filename: '张三-劳动合同.pdf', contentType: 'application/pdf' })
      .expect(201);
    expect(res.body).toMatchObject({
      classId: OPEN,
      enrollmentId: TRAINEE,
      kind: 'LABOUR_CONTRACT',
      fileName: '张三-劳动合同.pdf',
      mediaType: 'application/pdf',
      size: PDF.length,
      sha256: sha(PDF),
      uploadedBy: 'u-inst',
      uploadedByName: 'inst',
    });
    const listed = await list('cw', OPEN, `?enrollmentId=${TRAINEE}`).expect(200);
    expect(listed.body.items.map((a: { id: string }) => a.id)).toEqual([res.body.id]);

    const file = await fileOf('cw', OPEN, res.body.id).expect(200);
    expect(Buffer.compare(file.body as Buffer, PDF)).toBe(0);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['repr-digest']).toBe(`sha-256=:${Buffer.from(sha(PDF), 'hex').toString('base64')}:`);
    expect(file.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('张三-劳动合同.pdf')}`,
    );
    // On the access audit: who opened which document of which class — a personal document.
    const audit = await db.accessAudit.findMany({ where: { action: 'ATTACHMENT_OPENED', subject: OPEN } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.userId).toBe('u-cw');
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ attachmentId: res.body.id, enrollmentId: TRAINEE });
  });

  it('takes the file itself as the body, named by fileName, and lists one trainee’s documents apart', async () => {
    const png = await upload('inst', OPEN, `?kind=SOCIAL_INSURANCE&enrollmentId=${TRAINEE}&fileName=社保.png`)
      .set('Content-Type', 'image/png')
      .send(PNG)
      .expect(201);
    expect(png.body).toMatchObject({ mediaType: 'image/png', fileName: '社保.png', sha256: sha(PNG) });
    const sheet = await upload('cw', OPEN, '?kind=ATTENDANCE_SHEET')
      .attach('file', PDF, { filename: 'sign-in.pdf' })
      .expect(201);
    expect(sheet.body).toMatchObject({ enrollmentId: null, uploadedBy: 'u-cw' });

    const all = (await list('inst', OPEN).expect(200)).body.items as { id: string; kind: string }[];
    expect(all.map((a) => a.kind)).toEqual(['LABOUR_CONTRACT', 'SOCIAL_INSURANCE', 'ATTENDANCE_SHEET']);
    const mine = (await list('fin', OPEN, `?enrollmentId=${TRAINEE}`).expect(200)).body.items as {
      kind: string;
    }[];
    expect(mine.map((a) => a.kind)).toEqual(['LABOUR_CONTRACT', 'SOCIAL_INSURANCE']);
  });

  it('reads the type from the bytes: a web page sent as a PDF is refused and nothing is kept', async () => {
    const before = await db.attachment.count();
    const res = await upload('inst', OPEN, '?kind=LABOUR_CONTRACT')
      .attach('file', Buffer.from('<html><script>alert(1)</script></html>'), {
        filename: 'contract.pdf',
        contentType: 'application/pdf',
      })
      .expect(422);
    expect(res.body.code).toBe('FILE_TYPE_NOT_ALLOWED');
    expect(res.body.errors[0].path).toBe('file');
    expect(await db.attachment.count()).toBe(before);
  });

  it('keeps a name that cannot carry a folder, a control or a reversed extension, with the real extension', async () => {
    const res = await upload('inst', OPEN, '?kind=OTHER')
      .attach('file', PNG, { filename: '..\\..\\evil\u202Egnp.exe' })
      .expect(201);
    expect(res.body.fileName).toBe('evilgnp.png');
    const unnamed = await upload('inst', OPEN, '?kind=BUSINESS_LICENCE')
      .set('Content-Type', 'application/pdf')
      .send(PDF)
      .expect(201);
    expect(unnamed.body.fileName).toBe('营业执照.pdf');
  });

  it('refuses bad requests with the field named, never half-kept', async () => {
    const before = await db.attachment.count();
    const noKind = await upload('inst', OPEN, '').attach('file', PDF, { filename: 'a.pdf' }).expect(400);
    expect(noKind.body.errors.map((e: { path: string }) => e.path)).toContain('kind');
    const stranger = await upload('inst', OPEN, `?kind=LABOUR_CONTRACT&enrollmentId=${OTHER_TRAINEE}`)
      .attach('file', PDF, { filename: 'a.pdf' })
      .expect(422);
    expect(stranger.body.errors[0]).toMatchObject({ path: 'enrollmentId', code: 'UNKNOWN_TRAINEE' });
    const empty = await upload('inst', OPEN, '?kind=OTHER')
      .set('Content-Type', 'application/pdf')
      .expect(400);
    expect(empty.body.code).toBe('FILE_MISSING');
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]);
    await upload('inst', OPEN, '?kind=OTHER').set('Content-Type', 'application/pdf').send(big).expect(413);
    expect(await db.attachment.count()).toBe(before);
  });

  it('shows a class’s documents to its institution and the staff only', async () => {
    const [first] = (await list('cw', OPEN).expect(200)).body.items as { id: string }[];
    // Another institution: the class does not exist for it, whatever it tries.
    await list('other', OPEN).expect(404);
    await download('other', OPEN, first!.id).expect(404);
    await upload('other', OPEN, '?kind=OTHER').attach('file', PDF, { filename: 'x.pdf' }).expect(404);
    // A document is reached through its own class only.
    await download('cw', THEIRS, first!.id).expect(404);
    // An assessment body has no business with them; finance reads but does not upload.
    await list('asr', OPEN).expect(403);
    await download('asr', OPEN, first!.id).expect(403);
    await upload('fin', OPEN, '?kind=OTHER').attach('file', PDF, { filename: 'x.pdf' }).expect(403);
    await download('fin', OPEN, first!.id).expect(200);
  });

  it('takes nothing more from the institution once the case has ended; a caseworker may still file', async () => {
    const res = await upload('inst', ENDED, '?kind=OTHER')
      .attach('file', PDF, { filename: 'late.pdf' })
      .expect(409);
    expect(res.body.code).toBe('CASE_ENDED');
    await upload('cw', ENDED, '?kind=NOTICE_SCREENSHOT')
      .attach('file', PNG, { filename: '公示.png' })
      .expect(201);
  });

  it('never hands out bytes that no longer match their digest', async () => {
    const res = await upload('inst', OPEN, '?kind=OTHER')
      .attach('file', PDF, { filename: 'x.pdf' })
      .expect(201);
    const changed = Buffer.from(PDF);
    changed[changed.length - 2] = 0x21;
    await db.attachment.update({ where: { id: res.body.id }, data: { content: new Uint8Array(changed) } });
    const file = await download('cw', OPEN, res.body.id).expect(500);
    expect(file.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(file.text).not.toContain('%PDF');
  });
});
