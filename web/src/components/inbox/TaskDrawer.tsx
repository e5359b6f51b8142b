// The side panel of the inbox: the task with what it is about, acted on in place with the same dialogs the
// case page uses (就业核验, 异议处理, 拨付审批), then "next task" without going back to the list.
import { ArrowRightOutlined, CheckOutlined, ExportOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Drawer, Grid, Result, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { endpoints, type CaseDetail, type Task } from '../../api';
import { useI18n } from '../../i18n';
import { EVIDENCE_KIND_NAMES, TASK_KIND_NAMES } from '../../names';
import { href } from '../../router';
import { BatchActions } from '../BatchActions';
import { DueDate } from '../DueDate';
import { OverdueReason } from '../OverdueReason';
import { StageTag } from '../StageTag';
import { FollowUpWindowCard } from '../case/FollowUpWindow';
import { ResolveObjectionModal } from '../case/ResolveObjectionModal';
import { VerifyEvidenceModal, type EvidenceToVerify } from '../case/VerifyEvidenceModal';
import { TaskSubject } from './TaskSubject';

/** Kinds acted on in the panel; the rest (a plan review reads the whole plan) open the case page. */
const IN_PANEL = new Set(['VERIFY_EMPLOYMENT', 'RESOLVE_OBJECTION', 'APPROVE_PAYMENT', 'CORRECT_PAYMENT']);

export function TaskDrawer({
  task,
  hasNext,
  onClose,
  onDone,
  onNext,
}: {
  task: Task | null;
  hasNext: boolean;
  onClose(): void;
  /** the task was acted on: the list reloads */
  onDone(task: Task): void;
  onNext(): void;
}) {
  const { t, name } = useI18n();
  const screens = Grid.useBreakpoint();
  const [detail, setDetail] = useState<CaseDetail>();
  const [loading, setLoading] = useState(false);
  const [done, setDone] = useState(false);
  const [verifying, setVerifying] = useState<EvidenceToVerify | null>(null);
  const [resolving, setResolving] = useState<string | null>(null);

  const needsCase = task?.kind === 'VERIFY_EMPLOYMENT' || task?.kind === 'RESOLVE_OBJECTION';
  useEffect(() => {
    setDone(false);
    setDetail(undefined);
    if (!task || !needsCase) return;
    let live = true;
    setLoading(true);
    endpoints
      .caseDetail(task.classId)
      .then((d) => live && setDetail(d))
      .catch(() => undefined) // the panel still offers the case page
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [task?.id]);

  const finish = () => {
    setDone(true);
    if (task) onDone(task);
  };

  const evidence = detail?.evidence?.find((e) => e.id === task?.evidenceId);
  const trainee = detail?.trainees?.find((x) => x.enrollmentId === task?.subject);
  const objection = detail?.objections?.find((o) => o.id === task?.subject);

  const action = () => {
    if (!task) return null;
    if (done)
      return (
        <Result
          status="success"
          title={t('inbox.done')}
          subTitle={t('inbox.doneHint')}
          extra={
            hasNext ? (
              <Button type="primary" icon={<ArrowRightOutlined />} onClick={onNext} data-testid="next-task">
                {t('inbox.next')}
              </Button>
            ) : (
              <Typography.Text type="secondary">{t('inbox.noNext')}</Typography.Text>
            )
          }
        />
      );
    if (!IN_PANEL.has(task.kind)) return <Alert type="info" showIcon title={t('inbox.notHere')} />;
    if (task.kind === 'APPROVE_PAYMENT' || task.kind === 'CORRECT_PAYMENT')
      return (
        <BatchActions
          batchId={task.subject ?? ''}
          status={task.kind === 'APPROVE_PAYMENT' ? 'AWAITING_APPROVAL' : 'AWAITING_CORRECTION'}
          onChanged={finish}
        />
      );
    if (task.kind === 'VERIFY_EMPLOYMENT')
      return (
        <Space orientation="vertical" style={{ width: '100%' }} size={12}>
          {loading && <Spin size="small" description={t('inbox.evidenceLoading')} />}
          {evidence && (
            <Descriptions
              size="small"
              bordered
              column={1}
              title={t('evidence.submitted')}
              items={[
                {
                  key: 'kind',
                  label: t('evidence.kind'),
                  children: name(EVIDENCE_KIND_NAMES[evidence.kind], evidence.kind),
                },
                { key: 'on', label: t('evidence.employedOn'), children: evidence.employedOn },
                ...(evidence.employer
                  ? [{ key: 'employer', label: t('evidence.employer'), children: evidence.employer }]
                  : []),
              ]}
            />
          )}
          {trainee?.followUpWindow && <FollowUpWindowCard window={trainee.followUpWindow} />}
          <Button
            type="primary"
            icon={<CheckOutlined />}
            data-testid="panel-verify"
            onClick={() =>
              setVerifying({
                evidenceId: task.evidenceId ?? '',
                enrollmentId: task.subject ?? '',
                trainee:
                  trainee?.nameMasked ??
                  (task.about?.type === 'TRAINEE' ? task.about.traineeName : undefined),
                evidence,
                window: trainee?.followUpWindow ?? null,
              })
            }
          >
            {t('trainee.verify')}
          </Button>
        </Space>
      );
    return (
      <Space orientation="vertical" style={{ width: '100%' }} size={12}>
        {loading && <Spin size="small" />}
        {objection && (
          <Descriptions
            size="small"
            bordered
            column={1}
            items={[
              { key: 'reason', label: t('objection.reason'), children: objection.reason },
              ...(objection.contact
                ? [{ key: 'contact', label: t('objection.objectorContact'), children: objection.contact }]
                : []),
            ]}
          />
        )}
        <Button type="primary" data-testid="panel-resolve" onClick={() => setResolving(task.subject ?? '')}>
          {t('objection.resolve')}
        </Button>
      </Space>
    );
  };

  return (
    <Drawer
      open={task !== null}
      onClose={onClose}
      size={screens.md ? 560 : '100%'}
      title={t('inbox.panelTitle')}
      destroyOnHidden
      data-testid="task-panel"
      extra={
        task && (
          <Button
            icon={<ExportOutlined />}
            href={href(`/cases/${encodeURIComponent(task.classId)}`)}
            data-testid="panel-open-case"
          >
            {t('inbox.openCase')}
          </Button>
        )
      }
    >
      {task && (
        <Space orientation="vertical" style={{ width: '100%' }} size={16}>
          <Descriptions
            size="small"
            column={1}
            data-testid="panel-task"
            items={[
              {
                key: 'kind',
                label: t('inbox.kind'),
                children: (
                  <Space wrap size={4}>
                    <Tag color="blue">{name(TASK_KIND_NAMES[task.kind], task.kind)}</Tag>
                    <StageTag stage={task.stage} />
                  </Space>
                ),
              },
              { key: 'subject', label: t('inbox.subject'), children: <TaskSubject task={task} /> },
              {
                key: 'class',
                label: t('inbox.class'),
                children: (
                  <span>
                    {task.classTitle ?? task.classId}
                    <Typography.Text type="secondary"> · {task.classId}</Typography.Text>
                  </span>
                ),
              },
              {
                key: 'institution',
                label: t('case.institution'),
                children: task.institutionName ?? task.institutionId,
              },
              {
                key: 'due',
                label: t('inbox.due'),
                children: (
                  <div>
                    <DueDate dueAt={task.dueAt} overdue={task.overdue} escalated={task.escalated} />
                    {task.overdueReason && <OverdueReason reason={task.overdueReason} inline />}
                  </div>
                ),
              },
            ]}
          />
          {!done && IN_PANEL.has(task.kind) && (
            <Typography.Text type="secondary">{t('inbox.actHint')}</Typography.Text>
          )}
          {action()}
        </Space>
      )}
      {task && (
        <>
          <VerifyEvidenceModal
            classId={task.classId}
            target={verifying}
            onClose={(ok) => {
              setVerifying(null);
              if (ok) finish();
            }}
          />
          <ResolveObjectionModal
            classId={task.classId}
            objectionId={resolving}
            onClose={(ok) => {
              setResolving(null);
              if (ok) finish();
            }}
          />
        </>
      )}
    </Drawer>
  );
}
