// 考核评价机构: the classes booked with it, and results (考核结果) within 7 days after training ends.
import type { Api } from '../http';
import { actorOf } from '../context';
import { ResultsBody } from '../schemas';
import { classFor } from '../scope';
import { update } from '../workflow';
import { bookedWith, CaseQuery, listClasses, WORKFLOW_REFUSALS } from './cases';
import { ClassPage, ImportedResultsSchema, ResultsRecorded } from '../responses';
import { recordAssessmentUpdate } from '../../workflows/messages';
import { resultsOfTable, resultsTemplate, XLSX } from '../resultsFiles';
import { readTable, uploadedFile } from '../upload';
import { maskIdNumber, maskName } from '../../domain/masking';
import { decryptField, keyFromEnv } from '../../domain/pii';
import { meetsAttendance } from '../../domain/subsidy';
import { policyOf, todayInShanghai } from '../planContext';
import type { AppDeps } from '../context';
import type { ClassRef } from '../scope';

const RESULTS_FILE_BYTES = 2 * 1024 * 1024;

/** The trainees results are recorded for (enrolled, not withdrawn), masked, with 出勤不足 from the bound policy. */
async function resultsRoster(deps: AppDeps, c: ClassRef) {
  const [enrollments, policy] = await Promise.all([
    deps.db.enrollment.findMany({ where: { classId: c.id, status: 'ENROLLED' }, orderBy: { id: 'asc' } }),
    policyOf(deps, c.policyVersionId, todayInShanghai()),
  ]);
  const persons = new Map(
    (
      await deps.db.person.findMany({
        where: { personKey: { in: enrollments.map((e) => e.personKey) } },
        select: { personKey: true, nameEnc: true, idNumberEnc: true },
      })
    ).map((p) => [p.personKey, p]),
  );
  const key = keyFromEnv(deps.settings.piiKey, 'SKILLFLOW_PII_KEY');
  const open = (enc: string | undefined) => {
    try {
      return enc ? decryptField(enc, key) : '';
    } catch {
      return '';
    }
  };
  return enrollments.map((e) => {
    const p = persons.get(e.personKey);
    const name = open(p?.nameEnc);
    const idNumber = open(p?.idNumberEnc);
    return {
      enrollmentId: e.id,
      nameMasked: name ? maskName(name) : '',
      idMasked: idNumber ? maskIdNumber(idNumber) : '',
      attendedHours: e.attendedHours,
      attendanceShort: !meetsAttendance(e.attendedHours, c.plan.classHours, policy),
    };
  });
}

export function assessorRoutes(api: Api) {
  api.get(
    '/assessor/classes',
    {
      tag: 'assessor',
      summary: '预约本机构的班级 Classes booked with this assessment body',
      access: ['ASSESSOR'],
      query: CaseQuery,
      responses: { 200: { description: 'A page of classes', schema: ClassPage } },
    },
    async ({ query, principal, deps }) => ({
      json: await listClasses(deps, query, bookedWith(principal!.organisationId ?? '')),
    }),
  );

  api.get(
    '/assessor/classes/:id/results-sheet',
    {
      tag: 'assessor',
      summary: '考核结果表 The results sheet of the class to fill in (xlsx)',
      description:
        'One row per enrolled trainee (报名编号, masked name and ID number, attended hours, 出勤不足), with empty 考核结果 (a list) and 证书编号 columns; import it back with POST …/results/import.',
      access: ['ASSESSOR'],
      responses: { 200: { description: 'The sheet (Content-Disposition: attachment)', contentType: XLSX } },
    },
    async ({ params, principal, deps }) => {
      const c = await classFor(deps, principal, params.id!, 'assessor');
      return {
        text: await resultsTemplate(await resultsRoster(deps, c)),
        contentType: XLSX,
        headers: { 'Content-Disposition': `attachment; filename="${c.id}-results.xlsx"` },
      };
    },
  );

  api.post(
    '/assessor/classes/:id/results/import',
    {
      tag: 'assessor',
      summary: '导入考核结果 Read a filled-in results sheet into the form (records nothing)',
      description:
        'The sheet from GET …/results-sheet (or any file with the columns 报名编号, 考核结果, 证书编号). Answers the rows it could read and every row it could not (sheetRow, errors[].path = rows.N.field); the results are recorded only when the form is submitted (POST …/results).',
      access: ['ASSESSOR'],
      upload: {
        maxBytes: RESULTS_FILE_BYTES,
        types: [
          'multipart/form-data',
          'text/csv',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        ],
      },
      responses: {
        200: { description: 'The rows read, and the rows refused', schema: ImportedResultsSchema },
      },
      refusals: { 400: 'a file without the columns 报名编号, 考核结果, 证书编号, or unreadable' },
    },
    async ({ params, principal, deps, req }) => {
      const c = await classFor(deps, principal, params.id!, 'assessor');
      const table = await readTable(uploadedFile(req));
      const enrolled = new Set((await resultsRoster(deps, c)).map((r) => r.enrollmentId));
      return { json: resultsOfTable(table, enrolled) };
    },
  );

  api.post(
    '/assessor/classes/:id/results',
    {
      tag: 'assessor',
      summary: '考核结果 Record assessment results',
      description: 'A passed trainee needs a certificate number; errors[].path = results.N.field.',
      access: ['ASSESSOR'],
      body: ResultsBody,
      responses: { 200: { description: 'Recorded', schema: ResultsRecorded } },
      refusals: {
        ...WORKFLOW_REFUSALS,
        422: 'a result breaks a rule, e.g. a pass without a certificate number (errors[].path = results.N.field)',
      },
    },
    async ({ params, body, principal, deps }) => {
      const c = await classFor(deps, principal, params.id!, 'assessor');
      await update(deps.temporal, c.id, recordAssessmentUpdate, {
        actor: actorOf(principal!),
        results: body.results,
      });
      return { json: { classId: c.id, recorded: body.results.length } };
    },
  );
}
