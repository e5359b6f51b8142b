// 培训 and 考核评价: attendance, the end of training, the assessment body's results.
import { forbiddenActor, lessonHoursInRange } from '../../../domain/classRules';
import { violation } from '../../../domain/rules';
import type { CaseEvent } from '../../../activities/types';
import { enforce } from '../../refuse';
import * as m from '../../messages';
import type { ClassCase } from '../context';
import { checksOf, command } from './command';

export function trainingCommands(c: ClassCase) {
  const { s } = c;
  const { stageIs, open, unknownTrainee } = checksOf(c);
  const notFinished = () =>
    c.flags.trainingFinished
      ? violation('TRAINING_FINISHED', '培训已结束', 'Training has finished', 'stage')
      : undefined;

  command(
    c,
    m.reportAttendanceUpdate,
    ({ actor, lessons }) => {
      enforce(stageIs('TRAINING'), forbiddenActor(c.isInstitution(actor)), open(), notFinished());
      for (const [i, lesson] of lessons.entries()) {
        enforce(
          lesson.lessonDate < s.plan.plannedStart || lesson.lessonDate > s.plan.plannedEnd
            ? violation(
                'LESSON_OUTSIDE_PERIOD',
                '课程日期不在培训期内',
                'The lesson date is outside the training period',
                `lessons.${i}.lessonDate`,
              )
            : undefined,
        );
        for (const [j, e] of lesson.entries.entries())
          enforce(
            unknownTrainee(e.enrollmentId, `lessons.${i}.entries.${j}.enrollmentId`),
            lessonHoursInRange(e.hours, `lessons.${i}.entries.${j}.hours`),
          );
      }
    },
    async ({ actor, lessons }) => {
      const rows: NonNullable<CaseEvent['attendance']> = [];
      for (const lesson of lessons) {
        const key = `${lesson.lessonDate}#${lesson.lessonNo}`;
        const byTrainee = new Map<string, number>();
        for (const e of lesson.entries) {
          byTrainee.set(e.enrollmentId, e.status === 'ABSENT' || e.status === 'LEAVE' ? 0 : e.hours);
          rows.push({
            enrollmentId: e.enrollmentId,
            lessonDate: lesson.lessonDate,
            lessonNo: lesson.lessonNo,
            status: e.status,
            hours: e.hours,
          });
        }
        c.attendance.set(key, byTrainee); // a lesson reported again replaces the earlier report
      }
      for (const t of c.enrolled())
        t.attendedHours = [...c.attendance.values()].reduce(
          (sum, l) => sum + (l.get(t.enrollmentId) ?? 0),
          0,
        );
      await c.emit('ATTENDANCE_REPORTED', actor.userId, {
        attendance: rows,
        enrollments: c.enrolled().map((t) => ({ id: t.enrollmentId, attendedHours: t.attendedHours })),
      });
    },
  );

  command(
    c,
    m.finishTrainingUpdate,
    ({ actor }) =>
      enforce(stageIs('TRAINING'), forbiddenActor(c.isInstitution(actor)), open(), notFinished()),
    () => void (c.flags.trainingFinished = true),
  );

  command(
    c,
    m.recordAssessmentUpdate,
    ({ actor, results }) => {
      enforce(
        stageIs('ASSESSMENT'),
        forbiddenActor(actor.role === 'ASSESSOR' && actor.organisationId === s.plan.assessmentBodyId),
        open(),
        results.length
          ? undefined
          : violation('EMPTY_RESULTS', '未提交考核结果', 'No results given', 'results'),
      );
      for (const [i, r] of results.entries())
        enforce(
          unknownTrainee(r.enrollmentId, `results.${i}.enrollmentId`),
          r.result !== 'FAILED' && !r.certificateNo?.trim()
            ? violation(
                'CERTIFICATE_REQUIRED',
                '合格学员须填写证书编号',
                'A passed trainee needs a certificate number',
                `results.${i}.certificateNo`,
              )
            : undefined,
        );
    },
    async ({ actor, results }) => {
      for (const r of results)
        Object.assign(c.trainee(r.enrollmentId)!, { assessment: r.result, certificateNo: r.certificateNo });
      await c.emit('ASSESSMENT_RECORDED', actor.userId, {
        enrollments: results.map((r) => ({
          id: r.enrollmentId,
          assessment: r.result,
          certificateNo: r.certificateNo,
        })),
        classPatch: {
          passedCount: c.enrolled().filter((t) => t.assessment && t.assessment !== 'FAILED').length,
          certifiedCount: c
            .enrolled()
            .filter((t) => t.assessment && !['FAILED', 'TRAINING_CERT'].includes(t.assessment)).length,
        },
      });
    },
  );
}
