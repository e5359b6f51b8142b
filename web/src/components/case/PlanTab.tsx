// 开班计划: the plan as filed, with its course table.
import { Descriptions, Empty, Tag, Typography } from 'antd';
import type { CaseView, ClassPlan } from '../../api';
import { date, dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { FUNDING_CHANNEL_NAMES, LEVEL_NAMES, occupationNamed } from '../../names';
import { Money } from '../Money';
import { ResponsiveTable } from '../ResponsiveTable';
import { useSession } from '../../session';
import { actorNamer, decisionName, orgNamer } from './names';
import { PlanChecksPanel } from './PlanChecks';

type Lesson = ClassPlan['courseTable'][number];

export function PlanTab({ detail }: { detail: CaseView }) {
  const { t, name } = useI18n();
  // The workflow's plan, or the read model's when the workflow cannot answer (a case whose history is gone, or one
  // imported from the predecessor system, which has no workflow).
  const plan = detail.case?.plan ?? detail.class.plan;
  if (!plan) return <Empty />;
  const notes = detail.case?.reviewNotes ?? [];
  const actor = actorNamer(detail, name);
  const org = orgNamer(detail);
  const { user } = useSession();
  // 审核要点 for whoever reviews (or oversees the review of) a plan under review.
  const reviewer = user?.role === 'CASEWORKER' || user?.role === 'MANAGER';
  const underReview = (detail.case?.stage ?? detail.class.stage) === 'UNDER_REVIEW';
  return (
    <>
      {reviewer && underReview && <PlanChecksPanel classId={detail.class.id} />}
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} className="sf-block">
        <Descriptions.Item label={t('plan.title')}>{plan.title}</Descriptions.Item>
        <Descriptions.Item label={t('plan.occupationCode')}>
          {plan.occupationCode} {name(occupationNamed(plan.occupationCode))}
        </Descriptions.Item>
        <Descriptions.Item label={t('plan.level')}>
          {name(LEVEL_NAMES[plan.level], plan.level)}
        </Descriptions.Item>
        <Descriptions.Item label={t('plan.period')}>
          {date(plan.plannedStart)} ~ {date(plan.plannedEnd)}
        </Descriptions.Item>
        <Descriptions.Item label={t('plan.classHours')}>{plan.classHours}</Descriptions.Item>
        <Descriptions.Item label={t('plan.capacity')}>{plan.capacity}</Descriptions.Item>
        <Descriptions.Item label={t('plan.venue')}>{plan.venue}</Descriptions.Item>
        <Descriptions.Item label={t('plan.teachers')}>{plan.teachers.join('、')}</Descriptions.Item>
        <Descriptions.Item label={t('plan.fundingChannel')}>
          {name(FUNDING_CHANNEL_NAMES[plan.fundingChannel], plan.fundingChannel)}
        </Descriptions.Item>
        <Descriptions.Item label={t('plan.commitment')}>
          {plan.commitment ? <Tag color="blue">{t('common.yes')}</Tag> : t('common.no')}
        </Descriptions.Item>
        <Descriptions.Item label={t('plan.assessmentBody')}>
          <span data-testid="plan-assessment-body" title={plan.assessmentBodyId}>
            {org(plan.assessmentBodyId)}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('plan.plannedAssessmentDate')}>
          {date(plan.plannedAssessmentDate)}
        </Descriptions.Item>
        <Descriptions.Item label={t('plan.policyVersion')}>
          {detail.case?.policyVersionId ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('plan.standard')}>
          <Money fen={detail.case?.standardFen} />
        </Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5}>{t('plan.courseTable')}</Typography.Title>
      <ResponsiveTable<Lesson>
        rowKey={(l) => `${l.date}-${l.start}-${l.content}`}
        size="small"
        pagination={false}
        dataSource={plan.courseTable}
        scroll={{ x: 720 }}
        phoneTitle={(l) => `${date(l.date)} ${l.start}–${l.end}`}
        columns={[
          { title: t('lesson.date'), dataIndex: 'date', render: (d: string) => date(d), responsive: ['md'] },
          { title: t('lesson.start'), dataIndex: 'start', responsive: ['md'] },
          { title: t('lesson.end'), dataIndex: 'end', responsive: ['md'] },
          { title: t('lesson.content'), dataIndex: 'content' },
          { title: t('lesson.hours'), dataIndex: 'hours', align: 'right' },
          { title: t('lesson.room'), dataIndex: 'room' },
          { title: t('lesson.teacher'), dataIndex: 'teacher' },
        ]}
      />
      {notes.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('case.reviewNotes')}
          </Typography.Title>
          <ResponsiveTable
            data-testid="review-notes"
            rowKey={(n) => `${n.at}-${n.decision}`}
            size="small"
            pagination={false}
            dataSource={notes}
            columns={[
              { title: t('timeline.at'), dataIndex: 'at', render: (at: string) => dateTime(at) },
              {
                title: t('timeline.action'),
                dataIndex: 'decision',
                render: (d: string) => decisionName(t, d),
              },
              {
                title: t('case.opinion'),
                dataIndex: 'reason',
                render: (r?: string) => <span data-testid="review-note-opinion">{r ?? '—'}</span>,
              },
              { title: t('timeline.actor'), dataIndex: 'by', render: (by: string) => actor(by) },
            ]}
          />
        </>
      )}
    </>
  );
}
