// 异议处理: dismiss, or uphold and remove the line or correct its tier.
import { Form, Input, Radio, Select, Switch } from 'antd';
import { endpoints, type ObjectionResolution } from '../../api';
import { useI18n } from '../../i18n';
import { TIER_NAMES } from '../../names';
import { FormModal } from '../FormModal';

interface Values {
  upheld: boolean;
  action?: 'REMOVE' | 'CORRECT';
  tier?: ObjectionResolution['tier'];
  note: string;
}

export function ResolveObjectionModal({
  classId,
  objectionId,
  onClose,
}: {
  classId: string;
  objectionId: string | null;
  onClose(done: boolean): void;
}) {
  const { t, name } = useI18n();
  const [form] = Form.useForm<Values>();
  const upheld = Form.useWatch('upheld', form);
  const action = Form.useWatch('action', form);

  const send = (v: Values) =>
    endpoints.resolveObjection(
      classId,
      objectionId!,
      v.upheld
        ? { upheld: true, action: v.action, tier: v.action === 'CORRECT' ? v.tier : undefined, note: v.note }
        : { upheld: false, note: v.note },
    );

  return (
    <FormModal
      open={objectionId !== null}
      title={t('objection.resolve')}
      form={form}
      onSubmit={send}
      onClose={onClose}
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ upheld: false, action: 'REMOVE' }}
      >
        <Form.Item name="upheld" label={t('objection.upheld')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {upheld && (
          <Form.Item name="action" label={t('objection.action')} rules={[{ required: true }]}>
            <Radio.Group
              options={[
                { value: 'REMOVE', label: t('objection.remove') },
                { value: 'CORRECT', label: t('objection.correct') },
              ]}
            />
          </Form.Item>
        )}
        {upheld && action === 'CORRECT' && (
          <Form.Item
            name="tier"
            label={t('line.tier')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Select options={Object.entries(TIER_NAMES).map(([value, n]) => ({ value, label: name(n) }))} />
          </Form.Item>
        )}
        <Form.Item
          name="note"
          label={t('objection.note')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
