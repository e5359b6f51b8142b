import { Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useApiError } from '../hooks';
import { useI18n } from '../i18n';

/** A modal that asks for a reason (退回 / 不予通过 / 撤销) and submits it; API field errors land on the field. */
export function ReasonModal({
  open,
  title,
  danger,
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: string;
  danger?: boolean;
  onSubmit(reason: string): Promise<unknown>;
  onClose(done: boolean): void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const showError = useApiError();

  const submit = async () => {
    const { reason } = await form.validateFields();
    setBusy(true);
    try {
      await onSubmit(reason.trim());
      form.resetFields();
      onClose(true);
    } catch (e) {
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={title}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger, loading: busy }}
      onOk={submit}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="reason"
          label={t('common.reason')}
          rules={[{ required: true, whitespace: true, message: t('common.reasonRequired') }]}
        >
          <Input.TextArea rows={4} maxLength={500} showCount autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
