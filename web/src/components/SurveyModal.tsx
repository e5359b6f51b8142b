// 学员满意度评价: a trainee's three scores (teaching, practical training, overall; 1–5 stars) and an optional comment
// on one of their classes, sent once from their own record (pages/SelfServicePage.tsx).
import { Form, Input, Rate, Typography } from 'antd';
import { endpoints, type PersonRecord } from '../api';
import { useI18n } from '../i18n';
import { FormModal } from './FormModal';

type ClassLine = PersonRecord['classes'][number];
interface Answers {
  teaching: number;
  practice: number;
  overall: number;
  comment?: string;
}

export function SurveyModal(props: { token: string; line?: ClassLine; onClose(done: boolean): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Answers>();
  const line = props.line;
  const score = (field: keyof Omit<Answers, 'comment'>) => (
    <Form.Item
      name={field}
      label={t(`survey.${field}`)}
      rules={[{ required: true, type: 'number', min: 1, message: t('survey.required') }]}
    >
      <Rate aria-label={t(`survey.${field}`)} data-testid={`survey-rate-${field}`} />
    </Form.Item>
  );
  return (
    <FormModal<Answers>
      open={!!line}
      title={`${t('survey.title')} · ${line?.title ?? line?.classId ?? ''}`}
      form={form}
      okText={t('survey.submit')}
      successMessage={t('survey.thanks')}
      testId="survey"
      onSubmit={(v) =>
        endpoints.selfServiceSurvey(props.token, {
          enrollmentId: line!.enrollmentId,
          teaching: v.teaching,
          practice: v.practice,
          overall: v.overall,
          comment: v.comment?.trim() || undefined,
        })
      }
      onClose={(done) => {
        form.resetFields();
        props.onClose(done);
      }}
    >
      <Typography.Paragraph type="secondary">{t('survey.hint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" data-testid="survey-form">
        {score('teaching')}
        {score('practice')}
        {score('overall')}
        <Form.Item name="comment" label={t('survey.comment')}>
          <Input.TextArea maxLength={500} rows={3} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
