// The header actions a role may take in the case's stage. The workflow's validators have the last word;
// the UI only hides what is certainly not allowed.
import {
  PrinterOutlined,
  CheckOutlined,
  CloseCircleOutlined,
  EditOutlined,
  RollbackOutlined,
  StopOutlined,
} from '@ant-design/icons';
import { App, Button, Space } from 'antd';
import { useState } from 'react';
import { endpoints, type CaseView } from '../../api';
import { ENDED_STAGES } from '../../../../domain/stages';
import { useApiError } from '../../hooks';
import { useI18n } from '../../i18n';
import { href } from '../../router';
import { useSession } from '../../session';
import { ReasonModal } from '../ReasonModal';
import { ApproveContent } from './ApproveContent';

type Dialog = 'RETURN' | 'REJECT' | 'CANCEL' | null;

export function CaseActions({ detail, onChanged }: { detail: CaseView; onChanged(): void }) {
  const { t } = useI18n();
  const { user } = useSession();
  const { modal, message } = App.useApp();
  const showError = useApiError();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  const id = detail.class.id;
  const stage = detail.case?.stage ?? detail.class.stage;
  const role = user?.role;

  const run = async (call: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await call();
      message.success(t('common.success'));
      onChanged();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };

  const confirm = (content: string, call: () => Promise<unknown>) =>
    modal.confirm({
      title: content,
      okText: t('common.ok'),
      cancelText: t('common.cancel'),
      onOk: () => run(call),
    });

  // 审核通过: the checks the domain ran and the totals, then an optional opinion (审核意见) sent with APPROVE.
  const approve = () => {
    let opinion = '';
    modal.confirm({
      title: t('case.approveConfirm'),
      width: 640,
      icon: null,
      content: <ApproveContent classId={id} onOpinion={(v) => (opinion = v)} />,
      okText: t('case.approve'),
      cancelText: t('common.cancel'),
      onOk: () => run(() => endpoints.review(id, 'APPROVE', opinion.trim() || undefined)),
    });
  };

  const buttons = [];
  if (role === 'CASEWORKER' && stage === 'UNDER_REVIEW') {
    buttons.push(
      <Button
        key="approve"
        type="primary"
        icon={<CheckOutlined />}
        loading={busy}
        data-testid="review-approve"
        onClick={approve}
      >
        {t('case.approve')}
      </Button>,
      <Button
        key="return"
        icon={<RollbackOutlined />}
        onClick={() => setDialog('RETURN')}
        data-testid="review-return"
      >
        {t('case.return')}
      </Button>,
      <Button
        key="reject"
        danger
        icon={<CloseCircleOutlined />}
        onClick={() => setDialog('REJECT')}
        data-testid="review-reject"
      >
        {t('case.reject')}
      </Button>,
    );
  }
  if (role === 'INSTITUTION' && stage === 'RETURNED') {
    buttons.push(
      <Button
        key="resubmit"
        type="primary"
        icon={<EditOutlined />}
        href={href(`/portal/classes/${encodeURIComponent(id)}/resubmit`)}
      >
        {t('portal.resubmit')}
      </Button>,
    );
  }
  if (role === 'INSTITUTION' && stage === 'ENROLLING') {
    buttons.push(
      <Button
        key="start"
        type="primary"
        loading={busy}
        data-testid="start-training"
        onClick={() => confirm(t('portal.startConfirm'), () => endpoints.startTraining(id))}
      >
        {t('portal.start')}
      </Button>,
    );
  }
  if (role === 'INSTITUTION' && stage === 'TRAINING') {
    buttons.push(
      <Button
        key="finish"
        type="primary"
        loading={busy}
        data-testid="finish-training"
        onClick={() => confirm(t('portal.finishConfirm'), () => endpoints.finishTraining(id))}
      >
        {t('portal.finish')}
      </Button>,
    );
  }
  // DOMAIN.md §1: a class cannot be withdrawn once results exist.
  const resultsExist =
    detail.trainees.some((tr) => tr.assessment) || !!detail.case?.trainees.some((tr) => tr.assessment);
  if (
    (role === 'CASEWORKER' || role === 'MANAGER' || role === 'INSTITUTION') &&
    !ENDED_STAGES.includes(stage) &&
    !resultsExist
  ) {
    buttons.push(
      <Button key="cancel" danger type="text" icon={<StopOutlined />} onClick={() => setDialog('CANCEL')}>
        {t('case.cancel')}
      </Button>,
    );
  }

  // 开班审批表: the printable form, for the bureau and the class's institution.
  if (role && role !== 'ASSESSOR') {
    buttons.push(
      <Button
        key="approval-form"
        icon={<PrinterOutlined />}
        href={href(`/cases/${encodeURIComponent(id)}/approval-form`)}
        data-testid="approval-form-link"
      >
        {t('approvalForm.open')}
      </Button>,
    );
  }

  const titles: Record<Exclude<Dialog, null>, string> = {
    RETURN: t('case.returnTitle'),
    REJECT: t('case.rejectTitle'),
    CANCEL: t('case.cancelTitle'),
  };

  return (
    <>
      <Space wrap>{buttons}</Space>
      <ReasonModal
        open={dialog !== null}
        title={dialog ? titles[dialog] : ''}
        danger={dialog !== 'RETURN'}
        onSubmit={(reason) =>
          dialog === 'CANCEL'
            ? endpoints.cancel(id, reason)
            : endpoints.review(id, dialog === 'REJECT' ? 'REJECT' : 'RETURN', reason)
        }
        onClose={(done) => {
          setDialog(null);
          if (done) {
            message.success(t('common.success'));
            onChanged();
          }
        }}
      />
    </>
  );
}
