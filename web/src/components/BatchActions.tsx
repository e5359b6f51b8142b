// Approve a payment batch (finance) and download its bank transfer file.
import { CheckOutlined, DownloadOutlined, EditOutlined } from '@ant-design/icons';
import { App, Button, Space } from 'antd';
import { useState } from 'react';
import { endpoints } from '../api';
import { useApiError } from '../hooks';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { CorrectPayeeModal } from './CorrectPayeeModal';

export function BatchActions({
  batchId,
  status,
  onChanged,
}: {
  batchId: string;
  status: string;
  onChanged(): void;
}) {
  const { t } = useI18n();
  const { user } = useSession();
  const { modal, message } = App.useApp();
  const showError = useApiError();
  const [busy, setBusy] = useState(false);
  const [correcting, setCorrecting] = useState(false);
  if (user?.role !== 'FINANCE') return null;

  const approve = () =>
    modal.confirm({
      title: t('batch.approveConfirm'),
      content: batchId,
      okText: t('common.ok'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        setBusy(true);
        try {
          await endpoints.approveBatch(batchId);
          message.success(t('common.success'));
          onChanged();
        } catch (e) {
          showError(e);
        } finally {
          setBusy(false);
        }
      },
    });

  return (
    <Space size="small">
      {status === 'AWAITING_APPROVAL' && (
        <Button type="primary" size="small" icon={<CheckOutlined />} loading={busy} onClick={approve}>
          {t('batch.approve')}
        </Button>
      )}
      {status === 'AWAITING_CORRECTION' && (
        <Button
          type="primary"
          danger
          size="small"
          icon={<EditOutlined />}
          onClick={() => setCorrecting(true)}
          data-testid="correct-payee"
        >
          {t('batch.correct')}
        </Button>
      )}
      <CorrectPayeeModal
        batchId={batchId}
        open={correcting}
        onClose={(done) => {
          setCorrecting(false);
          if (done) onChanged();
        }}
      />
      <Button size="small" icon={<DownloadOutlined />} href={endpoints.exportBatchUrl(batchId)} download>
        {t('batch.export')}
      </Button>
    </Space>
  );
}
