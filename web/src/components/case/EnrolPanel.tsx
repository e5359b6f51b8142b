// 学员报名 (institution, while ENROLLING): rows typed in, or a roster file checked row by row first
// (RosterImport); refusals come back per row. 凭培训券报名 applies to both: only people holding a claimed training
// voucher usable in this class are enrolled (the others are refused, VOUCHER_REQUIRED).
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  Row,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import { useState } from 'react';
import { endpoints, type Bilingual, type EnrolAnswer } from '../../api';
import { useApiError } from '../../hooks';
import { useI18n } from '../../i18n';
import { TRAINEE_CATEGORIES, TRAINEE_CATEGORY_NAMES } from '../../names';
import { RosterImport } from './RosterImport';

interface Values {
  trainees: { name: string; idNumber: string; category?: string }[];
  validOnly: boolean;
}

/** The reasons a row was refused, in the reader's language. */
function reasonsOf(r: EnrolAnswer['refused'][number], lang: string): string {
  const pick = (m: Bilingual) => (lang === 'en' ? m.en : m.zh);
  return r.errors.map((e) => pick(e.message)).join('；');
}

export function EnrolPanel({ classId, onChanged }: { classId: string; onChanged(): void }) {
  const { t, name, lang } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<EnrolAnswer | null>(null);
  const [requireVoucher, setRequireVoucher] = useState(false);

  const report = (a: EnrolAnswer) => {
    setAnswer(a);
    if (a.enrolled.length) message.success(t('portal.enrolled', { n: a.enrolled.length }));
    onChanged();
  };

  const submit = async (v: Values) => {
    setBusy(true);
    setAnswer(null);
    try {
      const rows = v.trainees.map((r) => ({
        name: r.name.trim(),
        idNumber: r.idNumber.trim().toUpperCase(),
        category: r.category ?? '',
      }));
      const answer = await endpoints.enrol(classId, rows, v.validOnly, requireVoucher);
      report(answer);
      // Keep the refused rows on the form so they can be corrected; the enrolled ones are done.
      const refused = new Set(answer.refused.map((r) => r.row));
      const left = v.trainees.filter((_, i) => refused.has(i));
      form.setFieldsValue({ trainees: left.length ? left : [{ name: '', idNumber: '' }] });
    } catch (e) {
      const p = showError(e, form);
      // 凭培训券报名: a person without a usable voucher (`trainees.N.voucher`) is said on their row's ID number.
      const voucherless = (p?.errors ?? []).flatMap((x) => {
        const row = /^trainees\.(\d+)\.voucher$/.exec(x.path)?.[1];
        const name: ['trainees', number, 'idNumber'] = ['trainees', Number(row), 'idNumber'];
        return row === undefined ? [] : [{ name, errors: [x.message] }];
      });
      if (voucherless.length) form.setFields(voucherless);
    } finally {
      setBusy(false);
    }
  };

  const categoryOptions = TRAINEE_CATEGORIES.map((value) => ({
    value,
    label: name(TRAINEE_CATEGORY_NAMES[value]),
  }));

  return (
    <Card className="sf-block" title={t('portal.enrol')} data-testid="enrol-panel">
      <div className="sf-block">
        <Space size={8}>
          <Switch
            id="enrol-require-voucher"
            checked={requireVoucher}
            onChange={setRequireVoucher}
            data-testid="require-voucher"
          />
          <label htmlFor="enrol-require-voucher">{t('portal.requireVoucher')}</label>
        </Space>
        <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0', fontSize: 12 }}>
          {t('portal.requireVoucherHint')}
        </Typography.Paragraph>
      </div>
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ trainees: [{ name: '', idNumber: '', category: undefined }], validOnly: false }}
      >
        <Form.List name="trainees">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, i) => (
                <Row gutter={12} key={field.key} align="top">
                  <Col xs={24} md={5}>
                    <Form.Item
                      name={[field.name, 'name']}
                      label={i === 0 ? t('trainee.name') : undefined}
                      rules={[{ required: true, whitespace: true, message: t('common.required') }]}
                    >
                      <Input maxLength={40} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={7}>
                    <Form.Item
                      name={[field.name, 'idNumber']}
                      label={i === 0 ? t('trainee.idNumber') : undefined}
                      rules={[
                        { required: true, message: t('common.required') },
                        {
                          pattern: /^\s*\d{17}[\dXx]\s*$/,
                          message: '18位居民身份证号 / 18-character resident ID',
                        },
                      ]}
                    >
                      <Input maxLength={18} style={{ fontVariantNumeric: 'tabular-nums' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={20} md={10}>
                    <Form.Item
                      name={[field.name, 'category']}
                      label={i === 0 ? t('trainee.category') : undefined}
                      rules={[{ required: true, message: t('common.required') }]}
                    >
                      <Select showSearch optionFilterProp="label" options={categoryOptions} />
                    </Form.Item>
                  </Col>
                  <Col xs={4} md={2} style={{ paddingTop: i === 0 ? 30 : 0 }}>
                    <Button
                      type="text"
                      icon={<DeleteOutlined />}
                      disabled={fields.length === 1}
                      onClick={() => remove(field.name)}
                      aria-label="remove"
                    />
                  </Col>
                </Row>
              ))}
              <Button
                type="dashed"
                block
                icon={<PlusOutlined />}
                onClick={() => add({ name: '', idNumber: '' })}
              >
                {t('portal.addRow')}
              </Button>
            </>
          )}
        </Form.List>
        {/* Outside Form.List: a Form.Item inside it would be named under the list ('trainees.validOnly'). */}
        <Space wrap style={{ marginTop: 16 }}>
          <Form.Item name="validOnly" valuePropName="checked" noStyle>
            <Checkbox>{t('portal.validOnly')}</Checkbox>
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('portal.enrolSubmit')}
          </Button>
        </Space>
      </Form>
      <RosterImport
        classId={classId}
        requireVoucher={requireVoucher}
        onEnrolled={(a) => {
          if (a.enrolled.length) message.success(t('portal.enrolled', { n: a.enrolled.length }));
          onChanged();
        }}
      />
      {answer && (
        <Alert
          style={{ marginTop: 16 }}
          type={answer.refused.length ? 'warning' : 'success'}
          showIcon
          title={`${t('portal.enrolled', { n: answer.enrolled.length })}，${t('portal.refused', {
            n: answer.refused.length,
          })}`}
          description={
            answer.refused.length ? (
              <ul style={{ margin: 0, paddingLeft: 20 }}>
                {answer.refused.map((r, i) => (
                  <li key={i}>
                    <Typography.Text strong>
                      {t('portal.row', { n: r.sheetRow ?? r.row + 1 })}
                    </Typography.Text>
                    ：{reasonsOf(r, lang)}
                  </li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}
    </Card>
  );
}
