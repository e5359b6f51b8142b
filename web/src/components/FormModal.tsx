// The one shape of a dialog that sends a form (a reason, an objection's resolution, evidence, its verification,
// a payee's correction): validated first (the form says what is missing and nothing is sent), busy while
// sending, the API's field errors on the fields, closed only when the request worked.
import { App, Modal, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import type { Problem } from '../api';
import { useApiError, validated } from '../hooks';
import { useI18n } from '../i18n';

export interface FormModalProps<V> {
  open: boolean;
  title: ReactNode;
  form: FormInstance<V>;
  /** sends the values; an API refusal lands on the form's fields and in a message */
  onSubmit(values: V): Promise<unknown>;
  onClose(done: boolean): void;
  /** after a refusal: put its rule on another field, reload what the dialog showed */
  onRefused?(problem: Problem | undefined): void;
  /** said when it worked (default 操作成功); null says nothing */
  successMessage?: string | null;
  okText?: string;
  danger?: boolean;
  okDisabled?: boolean;
  width?: number;
  /** the OK button's data-testid is `${testId}-ok` */
  testId?: string;
  children: ReactNode;
}

export function FormModal<V>({
  open,
  title,
  form,
  onSubmit,
  onClose,
  onRefused,
  successMessage,
  okText,
  danger,
  okDisabled,
  width,
  testId,
  children,
}: FormModalProps<V>) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const values = await validated(form);
    if (!values) return; // the form shows what is missing
    setBusy(true);
    try {
      await onSubmit(values);
      if (successMessage !== null) message.success(successMessage ?? t('common.success'));
      form.resetFields();
      onClose(true);
    } catch (e) {
      onRefused?.(showError(e, form));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={title}
      okText={okText ?? t('common.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{
        danger,
        loading: busy,
        disabled: okDisabled,
        ...(testId ? { 'data-testid': `${testId}-ok` } : {}),
      }}
      onOk={submit}
      onCancel={() => onClose(false)}
      destroyOnHidden
      width={width}
    >
      {children}
    </Modal>
  );
}
