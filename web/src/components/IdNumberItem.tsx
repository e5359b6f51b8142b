// 身份证号 as a person is looked up by it (人员档案, 个人查询): required, 18 characters, never autofilled. The API checks
// the number itself and answers on this field.
import { Form, Input } from 'antd';
import { useI18n } from '../i18n';

export function IdNumberItem() {
  const { t } = useI18n();
  return (
    <Form.Item
      name="idNumber"
      label={t('trainee.idNumber')}
      rules={[{ required: true, whitespace: true, message: t('record.idRequired') }]}
    >
      <Input autoComplete="off" maxLength={18} />
    </Form.Item>
  );
}
