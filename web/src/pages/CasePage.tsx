// 案件详情: header with status and the actions the user's role may take, steps over the main stages, tabs.
import { Alert, Button, Card, Descriptions, Result, Skeleton, Steps, Tabs } from 'antd';
import { useState } from 'react';
import { ApiError, caseView, endpoints, type CaseView, type Stage } from '../api';
import { AttachmentsPanel } from '../components/case/AttachmentsPanel';
import { CaseActions } from '../components/case/CaseActions';
import { EnrolPanel } from '../components/case/EnrolPanel';
import { FollowUpTab, followedUp } from '../components/case/FollowUpTab';
import { FollowUpWindowText } from '../components/case/FollowUpWindow';
import { ImportedSummary } from '../components/case/ImportedSummary';
import { LinesTab } from '../components/case/LinesTab';
import { OpenWork } from '../components/case/OpenWork';
import { PaymentsTab } from '../components/case/PaymentsTab';
import { PlanTab } from '../components/case/PlanTab';
import { OutreachTab } from '../components/case/OutreachTab';
import { ExpectedPeopleCard } from '../components/case/ExpectedPeopleCard';
import { TimelineTab } from '../components/case/TimelineTab';
import { TraineesTab } from '../components/case/TraineesTab';
import { useReveal } from '../components/case/useReveal';
import { DueDate } from '../components/DueDate';
import { PageHeader } from '../components/PageHeader';
import { StageTag } from '../components/StageTag';
import { ENDED_STAGES } from '../../../domain/stages';
import { date } from '../format';
import { useLoad, useReloadUntilSettled } from '../hooks';
import { useI18n } from '../i18n';
import { CLOCK_NAMES, LEVEL_NAMES, MAIN_STAGES, occupationNamed, STAGE_NAMES } from '../names';
import { href } from '../router';
import { isStaff, useSession } from '../session';

/** Where a case stands on the main line; side exits (returned, rejected, cancelled) show as an error step. */
function stepsOf(detail: CaseView): { current: number; status: 'process' | 'error' | 'finish' | 'wait' } {
  const stage = detail.case?.stage ?? detail.class.stage;
  if (stage === 'SUBMITTED' || stage === 'RETURNED') return { current: 0, status: 'wait' };
  if (stage === 'REJECTED') return { current: 0, status: 'error' };
  if (stage === 'CLOSED') return { current: MAIN_STAGES.length - 1, status: 'finish' };
  if (stage === 'CANCELLED') {
    // The last main stage reached before the cancellation.
    const reached = (detail.case?.history ?? detail.timeline)
      .map((h) => MAIN_STAGES.indexOf(h.stage))
      .filter((i) => i >= 0);
    return { current: reached.length ? Math.max(...reached) : 0, status: 'error' };
  }
  return { current: Math.max(0, MAIN_STAGES.indexOf(stage)), status: 'process' };
}

export function CasePage({ id }: { id: string }) {
  const { t, name, lang } = useI18n();
  const { user } = useSession();
  const reveal = useReveal(id);
  const { data: loaded, loading, error, reload } = useLoad(() => endpoints.caseDetail(id), [id]);
  // Names revealed with a reason (for a few minutes) fill in the masked rows on every tab.
  const data = loaded ? reveal.apply(caseView(loaded, id)) : undefined;
  const changed = useReloadUntilSettled(reload);
  const [tab, setTab] = useState('plan');

  if (!data && loading) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (!data) {
    const status = error instanceof ApiError && error.status === 404 ? '404' : 'error';
    return (
      <Result
        status={status}
        title={status}
        subTitle={error instanceof ApiError ? (error.problem.title ?? error.message) : undefined}
        extra={
          <Button href={href(user?.role === 'INSTITUTION' ? '/portal' : '/inbox')}>{t('common.back')}</Button>
        }
      />
    );
  }

  const c = data.case;
  const row = data.class;
  const stage: Stage = c?.stage ?? row.stage;
  const plan = c?.plan;
  const level = (plan?.level ?? row.level) as keyof typeof LEVEL_NAMES;
  const occupationCode = plan?.occupationCode ?? row.occupationCode;
  const clock = c?.clock;
  const steps = stepsOf(data);
  const lastNote = c?.reviewNotes?.at(-1);
  // 就业跟踪: the trainees followed up, and their window when it is the same for all (it counts from one end of
  // training; it differs only while a recomputed window has not reached every trainee).
  const following = followedUp(data);
  const windows = [
    ...new Set(following.flatMap((tr) => (tr.followUpWindow ? [JSON.stringify(tr.followUpWindow)] : []))),
  ];
  const sharedWindow =
    windows.length === 1 ? following.find((tr) => tr.followUpWindow)!.followUpWindow! : null;

  return (
    <>
      <PageHeader
        title={plan?.title ?? row.title}
        subTitle={row.id}
        tags={<StageTag stage={stage} />}
        extra={<CaseActions detail={data} onChanged={changed} />}
      >
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label={t('case.institution')}>
            <span data-testid="case-institution" title={row.institutionId}>
              {row.institutionName ?? c?.institutionId ?? row.institutionId}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('case.occupation')}>
            {occupationCode} {name(occupationNamed(occupationCode), '')} · {name(LEVEL_NAMES[level], level)}
          </Descriptions.Item>
          <Descriptions.Item label={t('case.district')}>{c?.district ?? row.district}</Descriptions.Item>
          <Descriptions.Item label={t('plan.period')}>
            {date(plan?.plannedStart ?? row.plannedStart)} ~ {date(plan?.plannedEnd ?? row.plannedEnd)}
          </Descriptions.Item>
          <Descriptions.Item label={t('case.task')}>
            {clock ? name(CLOCK_NAMES[clock.task], clock.task) : '—'}
          </Descriptions.Item>
          {sharedWindow && (
            <Descriptions.Item label={t('window.label')}>
              <FollowUpWindowText window={sharedWindow} />
              <span className="sf-muted">
                {' '}
                ({t('window.trainingEnd')} {sharedWindow.trainingEnd})
              </span>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('case.due')}>
            <span data-testid="case-due">
              <DueDate
                dueAt={clock?.dueAt ?? row.dueAt}
                overdue={clock?.overdue ?? row.overdue}
                escalated={clock?.escalated ?? row.escalated}
                provisional={clock?.provisional}
              />
            </span>
          </Descriptions.Item>
        </Descriptions>
      </PageHeader>

      {(stage === 'RETURNED' || stage === 'REJECTED') && lastNote?.reason && (
        <Alert
          className="sf-block"
          type={stage === 'REJECTED' ? 'error' : 'warning'}
          showIcon
          title={`${t('case.reviewNotes')}：${lastNote.reason}`}
        />
      )}
      <ImportedSummary row={row} />
      {stage === 'CANCELLED' && c?.cancelledReason && (
        <Alert
          className="sf-block"
          type="info"
          showIcon
          title={`${t('case.cancelledReason')}：${c.cancelledReason}`}
        />
      )}

      <Card className="sf-block">
        <Steps
          size="small"
          current={steps.current}
          status={steps.status}
          titlePlacement={lang === 'en' ? 'vertical' : 'horizontal'}
          items={MAIN_STAGES.map((s) => ({ title: name(STAGE_NAMES[s]) }))}
          data-testid="case-steps"
        />
      </Card>

      <OpenWork detail={data} onChanged={changed} />
      {user?.role === 'INSTITUTION' && stage === 'ENROLLING' && (
        <EnrolPanel classId={row.id} onChanged={changed} />
      )}
      {user?.role === 'INSTITUTION' && (stage === 'APPROVED' || stage === 'ENROLLING') && (
        <ExpectedPeopleCard classId={row.id} />
      )}

      <Card>
        <Tabs
          className="sf-case-tabs"
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'plan', label: t('case.tab.plan'), children: <PlanTab detail={data} /> },
            {
              key: 'trainees',
              label: `${t('case.tab.trainees')} (${data.trainees?.length ?? 0})`,
              children: (
                <TraineesTab detail={data} canReveal={isStaff(user)} reveal={reveal} loading={loading} />
              ),
            },
            ...(following.length
              ? [
                  {
                    key: 'follow-up',
                    label: `${t('evidence.title')} (${following.length})`,
                    children: <FollowUpTab detail={data} />,
                  },
                ]
              : []),
            ...((user?.role === 'CASEWORKER' || user?.role === 'MANAGER') &&
            (stage === 'APPROVED' || stage === 'ENROLLING')
              ? [
                  {
                    key: 'outreach',
                    label: t('outreach.tab'),
                    children: <OutreachTab classId={row.id} canInvite={user.role === 'CASEWORKER'} />,
                  },
                ]
              : []),
            { key: 'lines', label: t('case.tab.lines'), children: <LinesTab detail={data} /> },
            {
              key: 'payments',
              label: t('case.tab.payments'),
              children: <PaymentsTab detail={data} onChanged={changed} />,
            },
            ...(isStaff(user) || user?.role === 'INSTITUTION'
              ? [
                  {
                    key: 'attachments',
                    label: t('attachments.title'),
                    children: (
                      <AttachmentsPanel
                        classId={row.id}
                        canUpload={
                          user?.role === 'CASEWORKER' ||
                          (user?.role === 'INSTITUTION' && !ENDED_STAGES.includes(stage))
                        }
                        traineeNames={
                          new Map(
                            (data.trainees ?? []).map((tr) => [tr.enrollmentId, tr.name ?? tr.nameMasked]),
                          )
                        }
                      />
                    ),
                  },
                ]
              : []),
            { key: 'timeline', label: t('case.tab.timeline'), children: <TimelineTab detail={data} /> },
          ]}
        />
      </Card>
    </>
  );
}
