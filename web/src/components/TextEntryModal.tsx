import { Form, Input } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import { FormModal } from './FormModal';

/**
 * A modal that takes one text (an opinion, a reason) and submits it; `required` or optional (an empty optional
 * text is sent as undefined). What the API refuses lands on the field; `children` show above it.
 */
export function TextEntryModal({
  open,
  title,
  label,
  required,
  help,
  okText,
  danger,
  children,
  testId,
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: ReactNode;
  label: string;
  required?: boolean;
  help?: string;
  okText?: string;
  danger?: boolean;
  children?: ReactNode;
  testId?: string;
  onSubmit(text: string | undefined): Promise<unknown>;
  onClose(done: boolean): void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ text?: string }>();
  return (
    <FormModal
      open={open}
      title={title}
      okText={okText}
      danger={danger}
      testId={testId}
      form={form}
      successMessage={null}
      onSubmit={(v) => onSubmit(v.text?.trim() || undefined)}
      onRefused={(problem) => {
        // The API names the body's field `reason`: it is this form's only field.
        const errors = problem?.errors?.filter((x) => x.path === 'reason').map((x) => x.message);
        if (errors?.length) form.setFields([{ name: 'text', errors }]);
      }}
      onClose={onClose}
    >
      {children}
      {/* Above the field: below it, the character count would sit on the help text on a phone. */}
      {help && <p style={{ color: 'rgba(0, 0, 0, 0.65)', margin: '0 0 8px' }}>{help}</p>}
      <Form form={form} layout="vertical" preserve={false} data-testid={testId}>
        <Form.Item
          name="text"
          label={label}
          rules={required ? [{ required: true, whitespace: true, message: t('common.reasonRequired') }] : []}
        >
          <Input.TextArea rows={3} maxLength={500} showCount autoFocus aria-label={label} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
