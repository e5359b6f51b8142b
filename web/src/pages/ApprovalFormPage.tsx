// 开班审批表 (issue 15 point 11): one class's approval form on one A4 page, as a bureau files it — the plan, its
// course table with the hours added up against the class hours, every review decision with its opinion and who
// made it, and the boxes for signatures and seals. 打印 / 导出PDF prints it (the browser saves it as a PDF);
// the menu, the header and the buttons are left off the paper (styles.css, @media print).
import { PrinterOutlined, RollbackOutlined } from '@ant-design/icons';
import { Alert, Button, Result, Skeleton, Space } from 'antd';
import { ApiError, caseView, endpoints } from '../api';
import { actorNamer, decisionName, orgNamer } from '../components/case/names';
import { date, dateTime, yuan } from '../format';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n';
import { FUNDING_CHANNEL_NAMES, LEVEL_NAMES, occupationNamed, STAGE_NAMES } from '../names';
import { href } from '../router';
import { useSession } from '../session';

export function ApprovalFormPage({ id }: { id: string }) {
  const { t, name } = useI18n();
  const { user } = useSession();
  const { data: loaded, loading, error } = useLoad(() => endpoints.caseDetail(id), [id]);
  const back = href(user?.role === 'INSTITUTION' ? `/portal/classes/${id}` : `/cases/${id}`);

  if (!loaded && loading) return <Skeleton active paragraph={{ rows: 12 }} />;
  if (!loaded) {
    const status = error instanceof ApiError && error.status === 404 ? '404' : 'error';
    return <Result status={status} title={status} />;
  }
  const detail = caseView(loaded, id);
  const plan = detail.case?.plan ?? detail.class.plan;
  if (!plan) return <Result status="404" title="404" />;
  const c = detail.class;
  const org = orgNamer(detail);
  const actor = actorNamer(detail, name);
  const notes = detail.case?.reviewNotes ?? [];
  const lessons = plan.courseTable ?? [];
  const scheduled = lessons.reduce((sum, l) => sum + l.hours, 0);
  const stage = detail.case?.stage ?? c.stage;
  const submitted = (detail.timeline ?? []).find((e) => e.action === 'PLAN_SUBMITTED');

  const row = (cells: [string, React.ReactNode][]) => (
    <tr>
      {cells.flatMap(([label, value], i) => [
        <th key={`l${i}`} scope="row">
          {label}
        </th>,
        <td key={`v${i}`} colSpan={cells.length === 1 ? 3 : 1}>
          {value}
        </td>,
      ])}
    </tr>
  );

  return (
    <div className="sf-print-page">
      <Space className="sf-no-print sf-block" wrap>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="print">
          {t('approvalForm.print')}
        </Button>
        <Button icon={<RollbackOutlined />} href={back}>
          {t('approvalForm.back')}
        </Button>
      </Space>
      {stage === 'UNDER_REVIEW' || stage === 'SUBMITTED' || stage === 'RETURNED' ? (
        <Alert
          className="sf-no-print sf-block"
          type="info"
          showIcon
          title={t('approvalForm.notYetDecided')}
        />
      ) : null}
      <article className="sf-approval-form" data-testid="approval-form">
        <h1 data-testid="page-title">{t('approvalForm.title')}</h1>
        <p className="sf-approval-meta">
          <span>
            {t('approvalForm.number')}：{c.id}
          </span>
          <span>
            {t('approvalForm.stage')}：{name(STAGE_NAMES[stage], stage)}
          </span>
          <span>
            {t('approvalForm.printedAt')}：{dateTime(new Date().toISOString())}
          </span>
        </p>
        <table className="sf-approval-table">
          <tbody>
            {row([
              [t('case.institution'), c.institutionName ?? c.institutionId],
              [t('case.district'), c.district],
            ])}
            {row([[t('plan.title'), plan.title]])}
            {row([
              [
                t('plan.occupationCode'),
                `${plan.occupationCode} ${name(occupationNamed(plan.occupationCode))}`,
              ],
              [t('plan.level'), name(LEVEL_NAMES[plan.level], plan.level)],
            ])}
            {row([
              [t('plan.period'), `${date(plan.plannedStart)} ~ ${date(plan.plannedEnd)}`],
              [t('plan.capacity'), plan.capacity],
            ])}
            {row([
              [t('plan.classHours'), plan.classHours],
              [t('approvalForm.scheduledHours'), scheduled],
            ])}
            {row([[t('plan.venue'), plan.venue]])}
            {row([[t('plan.teachers'), plan.teachers.join('、')]])}
            {row([
              [
                t('plan.fundingChannel'),
                name(FUNDING_CHANNEL_NAMES[plan.fundingChannel], plan.fundingChannel),
              ],
              [t('plan.commitment'), plan.commitment ? t('common.yes') : t('common.no')],
            ])}
            {row([
              [t('plan.assessmentBody'), org(plan.assessmentBodyId)],
              [t('plan.plannedAssessmentDate'), date(plan.plannedAssessmentDate)],
            ])}
            {row([
              [t('plan.policyVersion'), detail.case?.policyVersionId || c.policyVersionId || '—'],
              [t('plan.standard'), yuan(detail.case?.standardFen)],
            ])}
            {row([
              [t('approvalForm.submittedAt'), submitted ? dateTime(submitted.at) : dateTime(c.createdAt)],
            ])}
          </tbody>
        </table>

        <h2>{t('plan.courseTable')}</h2>
        <table className="sf-approval-table sf-approval-lessons" data-testid="approval-lessons">
          <thead>
            <tr>
              <th scope="col">{t('lesson.date')}</th>
              <th scope="col">{t('lesson.start')}</th>
              <th scope="col">{t('lesson.end')}</th>
              <th scope="col">{t('lesson.content')}</th>
              <th scope="col">{t('lesson.hours')}</th>
              <th scope="col">{t('lesson.room')}</th>
              <th scope="col">{t('lesson.teacher')}</th>
            </tr>
          </thead>
          <tbody>
            {lessons.map((l) => (
              <tr key={`${l.date}-${l.start}-${l.content}`}>
                <td>{date(l.date)}</td>
                <td>{l.start}</td>
                <td>{l.end}</td>
                <td>{l.content}</td>
                <td className="sf-num">{l.hours}</td>
                <td>{l.room}</td>
                <td>{l.teacher}</td>
              </tr>
            ))}
            <tr className="sf-approval-total">
              <td colSpan={4}>
                {t('approvalForm.totalHours', { scheduled, required: plan.classHours })}
                {scheduled < plan.classHours ? ` · ${t('approvalForm.short')}` : ''}
              </td>
              <td className="sf-num" data-testid="approval-total-hours">
                {scheduled}
              </td>
              <td colSpan={2} />
            </tr>
          </tbody>
        </table>

        <h2>{t('case.reviewNotes')}</h2>
        <table className="sf-approval-table" data-testid="approval-decisions">
          <thead>
            <tr>
              <th scope="col">{t('timeline.at')}</th>
              <th scope="col">{t('timeline.action')}</th>
              <th scope="col">{t('case.opinion')}</th>
              <th scope="col">{t('timeline.actor')}</th>
            </tr>
          </thead>
          <tbody>
            {notes.length === 0 ? (
              <tr>
                <td colSpan={4}>{t('approvalForm.noDecision')}</td>
              </tr>
            ) : (
              notes.map((n) => (
                <tr key={`${n.at}-${n.decision}`}>
                  <td>{dateTime(n.at)}</td>
                  <td>{decisionName(t, n.decision)}</td>
                  <td>{n.reason ?? '—'}</td>
                  <td>{actor(n.by)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>

        <table className="sf-approval-table sf-approval-signatures">
          <tbody>
            <tr>
              <th scope="row">{t('approvalForm.institutionSeal')}</th>
              <td />
              <th scope="row">{t('approvalForm.caseworkerOpinion')}</th>
              <td />
            </tr>
            <tr>
              <th scope="row">{t('approvalForm.reviewerSignature')}</th>
              <td />
              <th scope="row">{t('approvalForm.headSignature')}</th>
              <td />
            </tr>
          </tbody>
        </table>
        <p className="sf-approval-foot">{t('approvalForm.foot')}</p>
      </article>
    </div>
  );
}
