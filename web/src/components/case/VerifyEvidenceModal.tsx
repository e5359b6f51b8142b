// 就业核验: a caseworker accepts or rejects a trainee's employment evidence.
import { App, Form, Input, Modal, Radio } from 'antd';
import { useState } from 'react';
import { endpoints } from '../../api';
import { useApiError } from '../../hooks';
import { useI18n } from '../../i18n';

interface Values {
  verdict: 'VERIFIED' | 'REJECTED';
  note?: string;
}

export function VerifyEvidenceModal({
  classId,
  target,
  onClose,
}: {
  classId: string;
  target: { evidenceId: string; enrollmentId: string } | null;
  onClose(done: boolean): void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const v = await form.validateFields();
    if (!target) return;
    setBusy(true);
    try {
      await endpoints.verifyEvidence(classId, target.enrollmentId, target.evidenceId, {
        verdict: v.verdict,
        note: v.note?.trim() || undefined,
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
      title={t('evidence.verifyTitle')}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy }}
      onOk={submit}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={{ verdict: 'VERIFIED' }}>
        <Form.Item name="verdict" label={t('evidence.verdict')} rules={[{ required: true }]}>
          <Radio.Group
            options={[
              { value: 'VERIFIED', label: t('evidence.verified') },
              { value: 'REJECTED', label: t('evidence.rejected') },
            ]}
          />
        </Form.Item>
        <Form.Item name="note" label={t('evidence.note')}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
