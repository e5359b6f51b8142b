// 附件 (issue 15 point 11): documents uploaded to a case — an institution's employment contracts and
// social-insurance proofs for a trainee's follow-up, attendance sheets; a caseworker's notice screenshots — kept
// exactly as uploaded with their SHA-256 and shown to the caseworker who verifies. The class's institution and the
// bureau's staff see a class's documents; another institution's class does not exist for the caller (404), and an
// assessment body has no business with them (403). Every download is on the access audit: these are personal
// documents. Rules (kinds, types, size, names) are domain/attachments.ts.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Attachment } from '@prisma/client';
import type { Api } from '../http';
import { isStaff, type Principal } from '../context';
import { STAFF_ROLES } from '../roles';
import { AttachmentList, AttachmentSchema } from '../responses';
import { id, name } from '../schemas';
import { classFor, enrollmentOnClass } from '../scope';
import { accessAudit } from '../audit';
import { problems } from '../problem';
import { uploadedFile } from '../upload';
import { readableId } from '../auth/tokens';
import {
  ATTACHMENT_KINDS,
  ATTACHMENT_TYPES,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS_PER_CLASS,
  attachmentFileName,
  sniffAttachmentType,
} from '../../domain/attachments';
import { ENDED_STAGES } from '../../domain/stages';

const READERS = [...STAFF_ROLES, 'INSTITUTION'] as const;
const UPLOADERS = ['INSTITUTION', 'CASEWORKER'] as const;

const UploadQuery = z.strictObject({
  kind: z.enum(ATTACHMENT_KINDS),
  enrollmentId: id.optional(),
  /** the file's name when the body is the file itself (multipart carries its own) */
  fileName: name(200).optional(),
});
const ListQuery = z.strictObject({ enrollmentId: id.optional() });

/** The class as the caller may use it: its institution (owner) or staff; anyone else gets 404. */
const caseOf = (deps: Parameters<typeof classFor>[0], p: Principal | undefined, classId: string) =>
  classFor(deps, p, classId, p?.role === 'INSTITUTION' ? 'owner' : 'read');

/** RFC 6266 / 8187: an ASCII fallback and the UTF-8 name, so a Chinese file name survives every browser. */
function disposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const utf8 = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

type Row = Omit<Attachment, 'content'>;
const view = (a: Row, names: Map<string, string>) => ({
  id: a.id,
  classId: a.classId,
  enrollmentId: a.enrollmentId,
  kind: a.kind as (typeof ATTACHMENT_KINDS)[number],
  fileName: a.fileName,
  mediaType: a.mediaType,
  size: a.size,
  sha256: a.sha256,
  uploadedBy: a.uploadedBy,
  uploadedByName: names.get(a.uploadedBy) ?? null,
  createdAt: a.createdAt,
});
const META = {
  id: true,
  classId: true,
  enrollmentId: true,
  kind: true,
  fileName: true,
  mediaType: true,
  size: true,
  sha256: true,
  uploadedBy: true,
  createdAt: true,
} as const;

export function attachmentRoutes(api: Api): void {
  const uploaderNames = async (deps: Parameters<typeof classFor>[0], rows: Row[]) => {
    const ids = [...new Set(rows.map((r) => r.uploadedBy))];
    const users = ids.length
      ? await deps.db.user.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } })
      : [];
    return new Map(users.map((u) => [u.id, u.displayName]));
  };

  api.post(
    '/cases/:id/attachments',
    {
      tag: 'cases',
      summary: '上传附件 Upload a document to a case',
      description:
        "An employment contract, a social-insurance proof or another document, optionally about one trainee (enrollmentId), as multipart `file` or as the body (then name it with fileName). PDF, PNG or JPEG, read from the file's first bytes; up to 10 MB. Kept as uploaded with its SHA-256. The class's institution (not once the case has ended) and caseworkers.",
      access: UPLOADERS,
      query: UploadQuery,
      upload: {
        maxBytes: MAX_ATTACHMENT_BYTES,
        types: ['multipart/form-data', ...Object.keys(ATTACHMENT_TYPES)],
      },
      responses: { 201: { description: 'Kept', schema: AttachmentSchema } },
      refusals: {
        400: 'no file, or an unreadable form',
        409: 'the case has ended (an institution), or the class already holds 1,000 documents',
        422: 'not a PDF, PNG or JPEG (FILE_TYPE_NOT_ALLOWED, path file), or no such trainee on the class (path enrollmentId)',
      },
    },
    async ({ params, query, principal, deps, req }) => {
      const c = await caseOf(deps, principal, params.id!);
      if (principal!.role === 'INSTITUTION' && ENDED_STAGES.includes(c.stage))
        throw problems.conflict('CASE_ENDED', {
          zh: '该班级案件已结束，不再接收材料',
          en: 'This case has ended and takes no more documents',
        });
      if (query.enrollmentId) await enrollmentOnClass(deps, c.id, query.enrollmentId);
      const file = uploadedFile(req);
      const type = sniffAttachmentType(file.data);
      if (!type) {
        const message = {
          zh: '只接受PDF、PNG或JPEG文件',
          en: 'Only PDF, PNG or JPEG files are taken',
        };
        throw problems.rule('FILE_TYPE_NOT_ALLOWED', message, [
          { path: 'file', code: 'FILE_TYPE_NOT_ALLOWED', message },
        ]);
      }
      if ((await deps.db.attachment.count({ where: { classId: c.id } })) >= MAX_ATTACHMENTS_PER_CLASS)
        throw problems.conflict('TOO_MANY_ATTACHMENTS', {
          zh: `每个班级最多保存${MAX_ATTACHMENTS_PER_CLASS}份附件`,
          en: `A class keeps at most ${MAX_ATTACHMENTS_PER_CLASS} documents`,
        });
      const row = await deps.db.attachment.create({
        data: {
          id: `ATT-${readableId(10)}`,
          classId: c.id,
          enrollmentId: query.enrollmentId ?? null,
          kind: query.kind,
          fileName: attachmentFileName(file.filename ?? query.fileName, query.kind, type),
          mediaType: type,
          size: file.data.length,
          sha256: createHash('sha256').update(file.data).digest('hex'),
          content: new Uint8Array(file.data),
          uploadedBy: principal!.userId,
        },
        select: META,
      });
      return { status: 201, json: view(row, await uploaderNames(deps, [row])) };
    },
  );

  api.get(
    '/cases/:id/attachments',
    {
      tag: 'cases',
      summary: '附件列表 The documents of a case',
      description:
        "Every document of the class, oldest first, or one trainee's (enrollmentId): name, kind, type, size, SHA-256, who uploaded it and when. Not the files themselves.",
      access: READERS,
      query: ListQuery,
      responses: { 200: { description: 'The documents', schema: AttachmentList } },
    },
    async ({ params, query, principal, deps }) => {
      const c = await caseOf(deps, principal, params.id!);
      const rows = await deps.db.attachment.findMany({
        where: { classId: c.id, ...(query.enrollmentId ? { enrollmentId: query.enrollmentId } : {}) },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: META,
        take: MAX_ATTACHMENTS_PER_CLASS,
      });
      const names = await uploaderNames(deps, rows);
      return { json: { items: rows.map((r) => view(r, names)) } };
    },
  );

  api.get(
    '/cases/:id/attachments/:attachmentId',
    {
      tag: 'cases',
      summary: '下载附件 Download a document',
      description:
        'The bytes as uploaded (Content-Disposition: attachment), their SHA-256 in Repr-Digest; checked against the stored digest before they are sent. On the access audit (ATTACHMENT_OPENED).',
      access: READERS,
      responses: {
        200: { description: 'The file, as its type', contentType: Object.keys(ATTACHMENT_TYPES) },
      },
    },
    async ({ params, principal, deps, req }) => {
      const c = await caseOf(deps, principal, params.id!);
      const a = await deps.db.attachment.findUnique({ where: { id: params.attachmentId! } });
      if (!a || a.classId !== c.id)
        throw problems.notFound({ zh: '附件不存在', en: 'No such document on this case' });
      const data = Buffer.from(a.content);
      // A changed byte in storage is the bureau's problem, not the caller's: never hand it out as the original.
      if (createHash('sha256').update(data).digest('hex') !== a.sha256)
        throw new Error(`attachment ${a.id}: stored bytes do not match their SHA-256`);
      await deps.db.accessAudit.create(
        accessAudit(req, principal!, 'ATTACHMENT_OPENED', c.id, {
          detail: {
            attachmentId: a.id,
            kind: a.kind,
            ...(a.enrollmentId ? { enrollmentId: a.enrollmentId } : {}),
            ...(isStaff(principal) ? {} : { by: 'INSTITUTION' }),
          },
        }),
      );
      return {
        text: data,
        contentType: a.mediaType,
        headers: {
          'Content-Disposition': disposition(a.fileName),
          'Repr-Digest': `sha-256=:${Buffer.from(a.sha256, 'hex').toString('base64')}:`,
          'Cache-Control': 'private, no-store',
        },
      };
    },
  );
}
