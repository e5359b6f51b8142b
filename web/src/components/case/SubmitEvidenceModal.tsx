// 就业材料: the institution reports a passed trainee's employment (social insurance, labour contract, business
// licence or flexible-employment registration) within the follow-up window; a caseworker then verifies it.
import { App, DatePicker, Form, Input, Modal, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { endpoints } from '../../api';
import { useApiError } from '../../hooks';
import { useI18n } from '../../i18n';
import { EVIDENCE_KIND_NAMES } from '../../names';

interface Values {
  kind: string;
  employedOn: Dayjs;
  employer?: string;
}

export function SubmitEvidenceModal({
  classId,
  target,
  onClose,
}: {
  classId: string;
  target: { enrollmentId: string; trainee: string } | null;
  onClose(done: boolean): void;
}) {
  const { t, name } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const v = await form.validateFields();
    if (!target) return;
    setBusy(true);
    try {
      await endpoints.submitEvidence(classId, {
        enrollmentId: target.enrollmentId,
        kind: v.kind,
        employedOn: v.employedOn.format('YYYY-MM-DD'),
        employer: v.employer?.trim() || undefined,
      });
      message.success(t('common.success'));
      onClose(true);
    } catch (e) {
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={target !== null}
      title={`${t('evidence.submitTitle')} · ${target?.trainee ?? ''}`}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy }}
      onOk={submit}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={{ kind: 'LABOUR_CONTRACT' }}>
        <Form.Item name="kind" label={t('evidence.kind')} rules={[{ required: true }]}>
          <Select
            options={Object.entries(EVIDENCE_KIND_NAMES).map(([value, n]) => ({
              value,
              label: name(n, value),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="employedOn"
          label={t('evidence.employedOn')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <DatePicker style={{ width: '100%' }} data-testid="employed-on" />
        </Form.Item>
        <Form.Item name="employer" label={t('evidence.employer')}>
          <Input maxLength={200} data-testid="employer" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
