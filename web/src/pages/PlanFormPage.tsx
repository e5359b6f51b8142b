// 开班申请: an institution files a class plan (or resubmits a returned one) with its course table.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Divider,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Skeleton,
  Space,
  Switch,
  TimePicker,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { endpoints, type ClassPlan } from '../api';
import { PageHeader } from '../components/PageHeader';
import { useApiError, useLoad } from '../hooks';
import { useI18n } from '../i18n';
import { FUNDING_CHANNEL_NAMES, LEVEL_NAMES, OCCUPATION_CATALOGUE } from '../names';
import { href, navigate } from '../router';

type Level = ClassPlan['level'];

interface LessonValues {
  date?: Dayjs;
  content?: string;
  hours?: number;
  start?: Dayjs;
  end?: Dayjs;
  room?: string;
  teacher?: string;
}

interface Values {
  title: string;
  occupationCode: string;
  level: Level;
  plannedStart: Dayjs;
  plannedEnd: Dayjs;
  classHours: number;
  capacity: number;
  venue: string;
  teachers: string[];
  fundingChannel: string;
  commitment: boolean;
  assessmentBodyId: string;
  plannedAssessmentDate: Dayjs;
  courseTable: LessonValues[];
}

const day = (d: Dayjs) => d.format('YYYY-MM-DD');
const time = (d: Dayjs | undefined) => (d ? d.format('HH:mm') : '');

function toPlan(v: Values): ClassPlan {
  return {
    title: v.title.trim(),
    occupationCode: v.occupationCode,
    level: v.level,
    plannedStart: day(v.plannedStart),
    plannedEnd: day(v.plannedEnd),
    classHours: v.classHours,
    capacity: v.capacity,
    venue: v.venue.trim(),
    teachers: v.teachers.map((s) => s.trim()).filter(Boolean),
    fundingChannel: v.fundingChannel,
    commitment: v.commitment,
    assessmentBodyId: v.assessmentBodyId,
    plannedAssessmentDate: day(v.plannedAssessmentDate),
    courseTable: (v.courseTable ?? []).map((l) => ({
      date: l.date ? day(l.date) : '',
      content: l.content?.trim() ?? '',
      hours: l.hours ?? 0,
      start: time(l.start),
      end: time(l.end),
      room: l.room?.trim() ?? '',
      teacher: l.teacher?.trim() ?? '',
    })),
  };
}

function toValues(p: ClassPlan): Values {
  const at = (date: string, hhmm: string) => (hhmm ? dayjs(`${date}T${hhmm}`) : undefined);
  return {
    ...p,
    plannedStart: dayjs(p.plannedStart),
    plannedEnd: dayjs(p.plannedEnd),
    plannedAssessmentDate: dayjs(p.plannedAssessmentDate),
    courseTable: p.courseTable.map((l) => ({
      ...l,
      date: dayjs(l.date),
      start: at(l.date, l.start),
      end: at(l.date, l.end),
    })),
  };
}

const EMPTY: Partial<Values> = {
  commitment: false,
  fundingChannel: 'EMPLOYMENT_SUBSIDY_FUND',
  teachers: [],
  courseTable: [{}],
};

export function PlanFormPage({ classId }: { classId?: string }) {
  const { t, name } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const existing = useLoad(
    () => (classId ? endpoints.caseDetail(classId) : Promise.resolve(undefined)),
    [classId],
  );
  // 预约评价: the published assessment bodies, picked by name (the plan carries the id).
  const bodies = useLoad(() => endpoints.assessmentBodies(), []);
  const occupationCode = Form.useWatch('occupationCode', form);
  const level = Form.useWatch('level', form);
  const occupation = OCCUPATION_CATALOGUE.find((o) => o.code === occupationCode);

  useEffect(() => {
    const plan =
      existing.data?.case?.plan ?? (existing.data?.class as { plan?: ClassPlan } | undefined)?.plan;
    if (plan) form.setFieldsValue(toValues(plan));
  }, [existing.data, form]);

  // The catalogue's class hours for the chosen occupation and level, as a starting value.
  useEffect(() => {
    const standard = occupation?.levels.find((l) => l.level === level);
    if (standard && !form.getFieldValue('classHours')) form.setFieldValue('classHours', standard.minHours);
  }, [occupation, level, form]);

  const submit = async (v: Values) => {
    setBusy(true);
    try {
      const plan = toPlan(v);
      if (classId) {
        await endpoints.resubmitPlan(classId, plan);
        message.success(t('common.success'));
        navigate(`/portal/classes/${encodeURIComponent(classId)}`);
      } else {
        const { classId: created } = await endpoints.submitPlan(plan);
        message.success(t('portal.submitted', { id: created }));
        navigate(`/portal/classes/${encodeURIComponent(created)}`);
      }
    } catch (e) {
      showError(e, form, 'plan');
    } finally {
      setBusy(false);
    }
  };

  if (classId && existing.loading && !existing.data) return <Skeleton active />;
  const required = [{ required: true, message: t('common.required') }];

  return (
    <>
      <PageHeader
        title={classId ? t('portal.resubmitTitle') : t('portal.newTitle')}
        subTitle={classId}
        extra={<Button href={href('/portal')}>{t('common.back')}</Button>}
      />
      <Card>
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={EMPTY}
          onFinish={submit}
          scrollToFirstError
          data-testid="plan-form"
        >
          <Row gutter={16}>
            <Col xs={24} lg={12}>
              <Form.Item name="title" label={t('plan.title')} rules={[...required, { max: 120 }]}>
                <Input maxLength={120} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="occupationCode" label={t('plan.occupationCode')} rules={required}>
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  options={OCCUPATION_CATALOGUE.map((o) => ({
                    value: o.code,
                    label: `${o.code} ${name(o.name)}`,
                  }))}
                  onChange={() => form.setFieldsValue({ level: undefined, classHours: undefined })}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="level" label={t('plan.level')} rules={required}>
                <Select
                  disabled={!occupation}
                  options={(occupation?.levels ?? []).map((l) => ({
                    value: l.level,
                    label: name(LEVEL_NAMES[l.level]),
                  }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="plannedStart" label={t('plan.plannedStart')} rules={required}>
                <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="plannedEnd" label={t('plan.plannedEnd')} rules={required}>
                <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" />
              </Form.Item>
            </Col>
            <Col xs={12} lg={6}>
              <Form.Item name="classHours" label={t('plan.classHours')} rules={required}>
                <InputNumber min={1} max={5000} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} lg={6}>
              <Form.Item name="capacity" label={t('plan.capacity')} rules={required}>
                <InputNumber min={1} max={10000} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} lg={12}>
              <Form.Item name="venue" label={t('plan.venue')} rules={required}>
                <Input maxLength={200} />
              </Form.Item>
            </Col>
            <Col xs={24} lg={12}>
              <Form.Item
                name="teachers"
                label={t('plan.teachers')}
                rules={[{ ...required[0], type: 'array' }]}
              >
                <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} suffixIcon={null} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="fundingChannel" label={t('plan.fundingChannel')} rules={required}>
                <Select
                  options={Object.entries(FUNDING_CHANNEL_NAMES).map(([value, n]) => ({
                    value,
                    label: name(n),
                  }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="assessmentBodyId" label={t('plan.assessmentBody')} rules={required}>
                <Select
                  showSearch
                  optionFilterProp="label"
                  loading={bodies.loading}
                  placeholder={t('plan.assessmentBodyPick')}
                  data-testid="assessment-body-select"
                  options={(bodies.data?.items ?? []).map((b) => ({
                    value: b.id,
                    label: `${b.name}（${b.district}）`,
                  }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item
                name="plannedAssessmentDate"
                label={t('plan.plannedAssessmentDate')}
                rules={required}
              >
                <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="commitment" label={t('plan.commitment')} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
          </Row>
          <Divider titlePlacement="start">{t('plan.courseTable')}</Divider>
          <Form.List name="courseTable">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Row gutter={8} key={field.key} align="top">
                    <Col xs={12} lg={4}>
                      <Form.Item name={[field.name, 'date']} rules={required}>
                        <DatePicker
                          placeholder={t('lesson.date')}
                          style={{ width: '100%' }}
                          format="YYYY-MM-DD"
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={6} lg={2}>
                      <Form.Item name={[field.name, 'start']} rules={required}>
                        <TimePicker
                          placeholder={t('lesson.start')}
                          format="HH:mm"
                          minuteStep={5}
                          style={{ width: '100%' }}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={6} lg={2}>
                      <Form.Item name={[field.name, 'end']} rules={required}>
                        <TimePicker
                          placeholder={t('lesson.end')}
                          format="HH:mm"
                          minuteStep={5}
                          style={{ width: '100%' }}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={24} lg={6}>
                      <Form.Item name={[field.name, 'content']} rules={required}>
                        <Input placeholder={t('lesson.content')} maxLength={200} />
                      </Form.Item>
                    </Col>
                    <Col xs={8} lg={2}>
                      <Form.Item name={[field.name, 'hours']} rules={required}>
                        <InputNumber
                          placeholder={t('lesson.hours')}
                          min={0}
                          max={24}
                          style={{ width: '100%' }}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={8} lg={3}>
                      <Form.Item name={[field.name, 'room']} rules={required}>
                        <Input placeholder={t('lesson.room')} maxLength={100} />
                      </Form.Item>
                    </Col>
                    <Col xs={6} lg={4}>
                      <Form.Item name={[field.name, 'teacher']} rules={required}>
                        <Input placeholder={t('lesson.teacher')} maxLength={60} />
                      </Form.Item>
                    </Col>
                    <Col xs={2} lg={1}>
                      <Button
                        type="text"
                        icon={<DeleteOutlined />}
                        onClick={() => remove(field.name)}
                        aria-label="remove"
                      />
                    </Col>
                  </Row>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} block>
                  {t('lesson.add')}
                </Button>
              </>
            )}
          </Form.List>
          <Divider />
          <Space>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="plan-submit">
              {t('common.submit')}
            </Button>
            <Button href={href('/portal')}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      </Card>
    </>
  );
}
