// 更正收款账户: after the bank has refused a batch's transfers several times the batch waits for finance
// (a CORRECT_PAYMENT task). Finance sees who is unpaid and why, corrects the account with the basis for it
// (kept in the access audit), and approves the batch again; the next transfers use the corrected account.
import { Alert, Descriptions, Form, Input, Select, Skeleton } from 'antd';
import { useEffect, useState } from 'react';
import { endpoints, type BatchPayees } from '../api';
import { useApiError } from '../hooks';
import { useI18n } from '../i18n';
import { FormModal } from './FormModal';
import { Money } from './Money';

interface Values {
  institutionId: string;
  bankAccount: string;
  reason: string;
}

export function CorrectPayeeModal({
  batchId,
  open,
  onClose,
}: {
  batchId: string;
  open: boolean;
  onClose(done: boolean): void;
}) {
  const { t } = useI18n();
  const showError = useApiError();
  const [form] = Form.useForm<Values>();
  const [payees, setPayees] = useState<BatchPayees | null>(null);
  const chosen = Form.useWatch('institutionId', form);

  useEffect(() => {
    if (!open) return;
    setPayees(null);
    endpoints
      .batchPayees(batchId)
      .then(setPayees)
      .catch((e) => showError(e));
  }, [open, batchId, showError]);

  const firstUnpaid = payees && (payees.payees.find((x) => x.unpaid > 0) ?? payees.payees[0]);

  const payee = payees?.payees.find((p) => p.institutionId === chosen);

  return (
    <FormModal
      open={open}
      title={t('batch.correctTitle')}
      okText={t('batch.reapprove')}
      okDisabled={!payees}
      width={640}
      form={form}
      onSubmit={async (v) => {
        await endpoints.correctBankAccount(v.institutionId, {
          bankAccount: v.bankAccount.trim(),
          reason: v.reason.trim(),
        });
        await endpoints.approveBatch(batchId);
      }}
      onClose={onClose}
    >
      <Alert type="warning" showIcon message={t('batch.correctHint')} style={{ marginBottom: 16 }} />
      {!payees ? (
        <Skeleton active />
      ) : (
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ institutionId: firstUnpaid?.institutionId }}
        >
          <Form.Item name="institutionId" label={t('batch.payee')} rules={[{ required: true }]}>
            <Select
              options={payees.payees.map((p) => ({
                value: p.institutionId,
                label: `${p.name ?? p.institutionId}${p.unpaid ? ` (${p.unpaid})` : ''}`,
              }))}
            />
          </Form.Item>
          {payee && (
            <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
              <Descriptions.Item label={t('batch.currentAccount')}>
                <span data-testid="current-account">{payee.bankAccount}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('batch.total')}>
                <Money fen={payee.amountFen} />
              </Descriptions.Item>
              <Descriptions.Item label={t('batch.lastFailure')}>{payee.lastFailure ?? '—'}</Descriptions.Item>
            </Descriptions>
          )}
          <Form.Item
            name="bankAccount"
            label={t('batch.newAccount')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input maxLength={40} inputMode="numeric" data-testid="new-account" />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('batch.correctReason')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      )}
    </FormModal>
  );
}
