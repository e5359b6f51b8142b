// 历史数据导入: the classes a bureau closed in its predecessor system, brought in as summaries so the dashboard's
// trends and the institutions' performance reach back before SkillFlow. Each becomes a closed, read-only class row
// (no workflow: a command to it is 409 CASE_CLOSED, as for any ended case) with one timeline event, and its figures
// enter the dashboard's counters in the same transaction: opened in the month it was filed, closed with its
// results and money in the month it closed, as the counters would have had it. All or nothing: every row's
// problems are answered at once (422) and nothing is imported; a file sent again changes nothing (the classes it
// already holds with the same figures are `unchanged`); the same class with other figures is 409.
import type { TrainingClass } from '@prisma/client';
import {
  catalogueCodeOf,
  checkHistoryFile,
  sameHistoryClass,
  type HistoryClass,
} from '../../../domain/history';
import type { Level } from '../../../domain/occupations';
import { shanghaiDate, startOfDay } from '../../../domain/dates';
import type { ClassPlan } from '../../../workflows/messages';
import { countClass, NEW_ROW } from '../../../platform/tallies';
import { z } from 'zod';
import type { Api } from '../../http';
import type { AppDeps, Principal } from '../../context';
import { HistoryImportBody } from '../../schemas';
import { HistoryImported } from '../../responses';
import { problems, ruleProblem, zodProblem, type FieldError } from '../../problem';
import { historyOfTable, historyTemplate, XLSX } from '../../historyFiles';
import { readTable, uploadedFile } from '../../upload';
import { todayInShanghai } from '../../planContext';
import { ADMIN } from './shared';

/** The class id of an imported class: never one a filing takes (those read PREFIX-YEAR-NUMBER). */
export const historyClassId = (source: string, ref: string) => `HIST-${source}-${ref}`;

/** The plan an imported class shows: what the predecessor system reported, nothing made up. */
function planOf(c: HistoryClass): ClassPlan {
  return {
    title: c.title,
    occupationCode: c.occupationCode,
    level: c.level,
    plannedStart: c.plannedStart,
    plannedEnd: c.plannedEnd,
    classHours: c.classHours,
    capacity: c.capacity,
    venue: '',
    teachers: [],
    fundingChannel: '',
    commitment: false,
    courseTable: [],
    assessmentBodyId: '',
    plannedAssessmentDate: c.assessedOn,
  };
}

/** An imported class row read back as the summary it was imported from. */
function summaryOf(row: TrainingClass): HistoryClass {
  const plan = JSON.parse(row.plan) as ClassPlan;
  return {
    ref: row.importRef ?? '',
    institutionId: row.institutionId,
    district: row.district,
    title: row.title,
    occupationCode: row.occupationCode,
    level: row.level as Level,
    classHours: row.classHours,
    capacity: row.capacity,
    openedOn: shanghaiDate(row.createdAt.toISOString()),
    plannedStart: row.plannedStart,
    plannedEnd: row.plannedEnd,
    assessedOn: plan.plannedAssessmentDate,
    closedOn: shanghaiDate(row.stageSince.toISOString()),
    traineeCount: row.traineeCount,
    passedCount: row.passedCount,
    certifiedCount: row.certifiedCount,
    employedCount: row.employedCount,
    advancedFen: row.advancedFen,
    paidFen: row.paidFen,
    recoveredFen: row.recoveredFen,
  };
}

const importedMeanwhile = () =>
  problems.conflict('HISTORY_IMPORT_CONFLICT', {
    zh: '另一次导入同时写入了其中的班级，请重新提交',
    en: 'Another import wrote some of these classes at the same time; send the file again',
  });

/** The import itself, of a JSON body or of a sheet read into the same summaries: checked whole, then written whole. */
async function importHistory(
  deps: AppDeps,
  principal: Principal,
  source: string,
  classes: HistoryClass[],
): Promise<z.infer<typeof HistoryImported>> {
  const [institutions, occupations] = await Promise.all([
    deps.db.institution.findMany({
      where: { id: { in: [...new Set(classes.map((c) => c.institutionId))] } },
      select: { id: true, kind: true },
    }),
    deps.db.occupation.findMany({
      where: { code: { in: [...new Set(classes.map((c) => catalogueCodeOf(c.occupationCode)))] } },
      select: { code: true, levels: { select: { level: true } } },
    }),
  ]);
  const institution = new Map(institutions.map((i) => [i.id, i]));
  const occupation = new Map(occupations.map((o) => [o.code, o]));
  const today = todayInShanghai();
  const violations = checkHistoryFile(classes, (c) => ({
    today,
    institution: institution.get(c.institutionId),
    occupation: occupation.get(catalogueCodeOf(c.occupationCode)),
  }));
  if (violations.length) throw ruleProblem(violations, 'classes');

  const ids = classes.map((c) => historyClassId(source, c.ref));
  try {
    return await deps.db.$transaction(async (tx) => {
      const held = new Map(
        (await tx.trainingClass.findMany({ where: { id: { in: ids } } })).map((r) => [r.id, r]),
      );
      const imported: { ref: string; classId: string }[] = [];
      const unchanged: { ref: string; classId: string }[] = [];
      const differing: FieldError[] = [];
      classes.forEach((c, i) => {
        const row = held.get(ids[i]!);
        if (!row) return;
        if (row.importSource === source && sameHistoryClass(summaryOf(row), c))
          unchanged.push({ ref: c.ref, classId: row.id });
        else
          differing.push({
            path: `classes.${i}`,
            code: 'HISTORY_ALREADY_IMPORTED',
            message: {
              zh: `${source}的班级${c.ref}已导入，且数据不同（${row.id}）`,
              en: `Class ${c.ref} of ${source} was imported before with other figures (${row.id})`,
            },
          });
      });
      if (differing.length)
        throw problems.conflict(
          'HISTORY_ALREADY_IMPORTED',
          {
            zh: `${differing.length}个班级已导入且数据不同，未导入任何班级`,
            en: `${differing.length} class(es) were imported before with other figures; nothing was imported`,
          },
          differing,
        );
      for (const [i, c] of classes.entries()) {
        const id = ids[i]!;
        if (held.has(id)) continue;
        const openedAt = startOfDay(c.openedOn);
        const closedAt = startOfDay(c.closedOn);
        const closed = {
          ...NEW_ROW,
          stage: 'CLOSED',
          traineeCount: c.traineeCount,
          passedCount: c.passedCount,
          certifiedCount: c.certifiedCount,
          employedCount: c.employedCount,
          advancedFen: c.advancedFen,
          paidFen: c.paidFen,
          recoveredFen: c.recoveredFen,
        };
        await tx.trainingClass.create({
          data: {
            id,
            institutionId: c.institutionId,
            occupationCode: c.occupationCode,
            level: c.level,
            district: c.district,
            title: c.title,
            policyVersionId: '',
            plannedStart: c.plannedStart,
            plannedEnd: c.plannedEnd,
            classHours: c.classHours,
            capacity: c.capacity,
            plan: JSON.stringify(planOf(c)),
            ...closed,
            importSource: source,
            importRef: c.ref,
            createdAt: new Date(openedAt),
            stageSince: new Date(closedAt),
          },
        });
        await tx.auditEvent.create({
          data: {
            id: `${id}:import`,
            classId: id,
            workflowId: id,
            seq: 1,
            at: new Date(),
            actor: principal.userId,
            action: 'IMPORTED',
            stage: 'CLOSED',
            detail: JSON.stringify({ source, ref: c.ref, openedOn: c.openedOn, closedOn: c.closedOn }),
          },
        });
        // As the projection would have counted it: opened when filed, closed with its figures when closed.
        const place = { institutionId: c.institutionId, district: c.district };
        await countClass(tx, place, openedAt, undefined, NEW_ROW);
        await countClass(tx, place, closedAt, NEW_ROW, closed);
        imported.push({ ref: c.ref, classId: id });
      }
      return { source, imported, unchanged };
    });
  } catch (err) {
    // Two imports of one class at the same moment: the later one's row meets the unique key (the code, not the
    // class: the PostgreSQL profile's client has its own error classes).
    if ((err as { code?: string }).code === 'P2002') throw importedMeanwhile();
    throw err;
  }
}

/** A file of 500 classes is about 100 KB as csv; an xlsx of them well under 2 MB. */
const HISTORY_FILE_BYTES = 2 * 1024 * 1024;

export function historyRoutes(api: Api) {
  api.post(
    '/admin/history/classes',
    {
      tag: 'admin',
      summary: '历史数据导入 Import closed classes from the predecessor system',
      description:
        "Up to 500 closed classes per request, each as its summary (dates, counts, money in fen). All or nothing: 422 lists every row's problems (`classes.N.field`) and nothing is imported. Sending a file again changes nothing: a class already imported from the same source under the same ref with the same figures is answered as unchanged; with other figures, 409. An imported class is closed and read-only, has no workflow and no trainees, and counts in the dashboard (opened in the month of `openedOn`, closed with its results and money in the month of `closedOn`) and in the performance report.",
      access: ADMIN,
      body: HistoryImportBody,
      responses: {
        200: { description: 'What was imported, and what was already there', schema: HistoryImported },
      },
      refusals: {
        409: 'a class of this source and ref was imported before with other figures, or by an import running at the same time',
        422: 'a row breaks a rule (every row is checked; nothing is imported)',
      },
    },
    async ({ body, deps, principal }) => ({
      json: await importHistory(deps, principal!, body.source, body.classes),
    }),
  );

  api.get(
    '/admin/history/template',
    {
      tag: 'admin',
      summary: '历史数据导入模板 The spreadsheet the history import reads (xlsx)',
      description:
        'One closed class per row under the columns 原系统班级编号 … 追回金额（元） (money in yuan, dates as YYYY-MM-DD or 2026/5/3, the level offered as a list), a sheet of levels and a sheet of instructions.',
      access: ADMIN,
      responses: {
        200: { description: 'The template (Content-Disposition: attachment)', contentType: XLSX },
      },
    },
    async () => ({
      text: await historyTemplate(),
      contentType: XLSX,
      headers: { 'Content-Disposition': 'attachment; filename="history-template.xlsx"' },
    }),
  );

  api.post(
    '/admin/history/classes/file',
    {
      tag: 'admin',
      summary: '历史数据导入（表格） Import closed classes from a spreadsheet (xlsx or csv)',
      description:
        "The template of GET /admin/history/template filled in (multipart/form-data with `file`, or the file as the body), ?source= the predecessor system. Read into the summaries POST /admin/history/classes takes (money in yuan becomes fen) and imported the same way: all or nothing, the same file again changes nothing. errors[].path = classes.N.field, N counting data rows from 0 (the sheet's row N + 2).",
      access: ADMIN,
      query: z.strictObject({ source: HistoryImportBody.shape.source }),
      upload: {
        maxBytes: HISTORY_FILE_BYTES,
        types: [
          'multipart/form-data',
          'text/csv',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        ],
      },
      responses: {
        200: { description: 'What was imported, and what was already there', schema: HistoryImported },
      },
      refusals: {
        400: 'an unreadable file, one without rows, or without a column of the template (errors[].path = file.field)',
        409: 'a class of this source and ref was imported before with other figures, or by an import running at the same time',
        422: 'a cell cannot be read or a row breaks a rule (every row is checked; nothing is imported)',
      },
    },
    async ({ query, deps, principal, req }) => {
      const { classes, errors } = historyOfTable(await readTable(uploadedFile(req)));
      const parsed = HistoryImportBody.safeParse({ source: query.source, classes });
      if (!parsed.success || errors.length) {
        // A cell that could not be read is named once, not again as a field the summary lacks.
        const named = new Set(errors.map((e) => e.path));
        const malformed = parsed.success
          ? []
          : zodProblem(parsed.error.issues).errors.filter((e) => !named.has(e.path));
        const all = [...errors, ...malformed];
        throw problems.rule(
          'HISTORY_FILE_INVALID',
          {
            zh: `文件中有${all.length}处无法导入，未导入任何班级`,
            en: `${all.length} cell(s) cannot be imported; nothing was imported`,
          },
          all,
        );
      }
      return { json: await importHistory(deps, principal!, parsed.data.source, parsed.data.classes) };
    },
  );
}
