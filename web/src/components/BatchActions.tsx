// Approve a payment batch (finance) and download its bank transfer file.
import { CheckOutlined, DownloadOutlined } from '@ant-design/icons';
import { App, Button, Space } from 'antd';
import { useState } from 'react';
import { endpoints } from '../api';
import { useApiError } from '../hooks';
import { useI18n } from '../i18n';
import { useSession } from '../session';

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
      <Button size="small" icon={<DownloadOutlined />} href={endpoints.exportBatchUrl(batchId)} download>
        {t('batch.export')}
      </Button>
    </Space>
  );
}
