import { Form, Input } from 'antd';
import { useI18n } from '../i18n';
import { FormModal } from './FormModal';

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
  return (
    <FormModal
      open={open}
      title={title}
      danger={danger}
      form={form}
      successMessage={null}
      onSubmit={({ reason }) => onSubmit(reason.trim())}
      onClose={onClose}
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
    </FormModal>
  );
}
