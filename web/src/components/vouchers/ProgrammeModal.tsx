// 设立培训券项目 (MANAGER): a programme is policy data — the occupations and levels it pays for, whom it is for, where
// it may be used, its days, how many vouchers and which fund. The API checks the catalogue and the policy; a refusal
// of one item of a list (`occupationCodes.1`) is said on that list's picker, naming the item.
import { App, Col, DatePicker, Form, Input, InputNumber, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { endpoints, type Problem, type VoucherProgrammeBody } from '../../api';
import { useI18n } from '../../i18n';
import {
  FUNDING_CHANNEL_NAMES,
  LEVEL_NAMES,
  LEVELS,
  OCCUPATION_CATALOGUE,
  occupationNamed,
  TRAINEE_CATEGORIES,
  TRAINEE_CATEGORY_NAMES,
} from '../../names';
import { FormModal } from '../FormModal';

type Body = VoucherProgrammeBody;
interface Values {
  name: string;
  occupationCodes: string[];
  levels: Body['levels'];
  categories: Body['categories'];
  institutionIds?: string[];
  validFrom: Dayjs;
  validUntil: Dayjs;
  quantity: number;
  fundingChannel: string;
}

const LIST_FIELDS = ['occupationCodes', 'levels', 'categories', 'institutionIds'] as const;
type ListField = (typeof LIST_FIELDS)[number];
const isListField = (f: string): f is ListField => (LIST_FIELDS as readonly string[]).includes(f);
const dayOf = (d: Dayjs) => d.format('YYYY-MM-DD');

export function ProgrammeModal({ open, onClose }: { open: boolean; onClose(created: boolean): void }) {
  const { t, name } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const codes = Form.useWatch('occupationCodes', form) ?? [];
  // The levels the chosen occupations have standards for (any level before one is chosen).
  const levels = LEVELS.filter(
    (l) =>
      !codes.length ||
      OCCUPATION_CATALOGUE.some((o) => codes.includes(o.code) && o.levels.some((x) => x.level === l)),
  );
  const today = dayjs().startOf('day');

  const itemName = (field: ListField, value: string) => {
    if (field === 'occupationCodes') return `${value} ${name(occupationNamed(value), '')}`.trim();
    if (field === 'levels') return name(LEVEL_NAMES[value as keyof typeof LEVEL_NAMES], value);
    if (field === 'categories')
      return name(TRAINEE_CATEGORY_NAMES[value as keyof typeof TRAINEE_CATEGORY_NAMES], value);
    return value;
  };

  /** `occupationCodes.1`: the message on the occupations picker, after the item it is about. */
  const onRefused = (problem: Problem | undefined) => {
    const byField = new Map<ListField, string[]>();
    for (const e of problem?.errors ?? []) {
      const [head = '', index] = e.path.split('.');
      if (!isListField(head)) continue;
      const item = index === undefined ? undefined : form.getFieldValue(head)?.[Number(index)];
      const text = typeof item === 'string' ? `${itemName(head, item)}：${e.message}` : e.message;
      byField.set(head, [...(byField.get(head) ?? []), text]);
    }
    form.setFields([...byField].map(([field, errors]) => ({ name: field, errors })));
  };

  const submit = async (v: Values) => {
    const body: Body = {
      name: v.name.trim(),
      occupationCodes: v.occupationCodes,
      levels: LEVELS.filter((l) => v.levels.includes(l)),
      categories: v.categories,
      institutionIds: (v.institutionIds ?? []).map((x) => x.trim()).filter(Boolean),
      validFrom: dayOf(v.validFrom),
      validUntil: dayOf(v.validUntil),
      quantity: v.quantity,
      fundingChannel: v.fundingChannel,
    };
    const created = await endpoints.createVoucherProgramme(body);
    message.success(t('vouchers.created', { id: created.programmeId }));
  };

  const required = [{ required: true, message: t('common.required') }];
  return (
    <FormModal<Values>
      open={open}
      title={t('vouchers.createTitle')}
      form={form}
      width={760}
      testId="programme"
      okText={t('vouchers.create')}
      successMessage={null}
      onSubmit={submit}
      onRefused={onRefused}
      onClose={onClose}
    >
      <Form
        form={form}
        name="programme"
        layout="vertical"
        preserve={false}
        initialValues={{ validFrom: today, categories: [] }}
        data-testid="programme-form"
      >
        <Form.Item name="name" label={t('vouchers.name')} rules={[{ ...required[0], whitespace: true }]}>
          <Input maxLength={60} placeholder={t('vouchers.nameHint')} />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={14}>
            <Form.Item
              name="occupationCodes"
              label={t('vouchers.occupations')}
              rules={[{ ...required[0], type: 'array', min: 1 }]}
            >
              <Select
                mode="multiple"
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('vouchers.occupationsPick')}
                maxCount={50}
                options={OCCUPATION_CATALOGUE.map((o) => ({
                  value: o.code,
                  label: `${o.code} ${name(o.name)}`,
                }))}
                onChange={(next: string[]) => {
                  // keep only the levels some chosen occupation still has
                  const chosen = (form.getFieldValue('levels') as Values['levels'] | undefined) ?? [];
                  const kept = chosen.filter((l) =>
                    OCCUPATION_CATALOGUE.some(
                      (o) => next.includes(o.code) && o.levels.some((x) => x.level === l),
                    ),
                  );
                  if (kept.length !== chosen.length) form.setFieldsValue({ levels: kept });
                }}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item
              name="levels"
              label={t('vouchers.levels')}
              extra={t('vouchers.levelsHint')}
              rules={[{ ...required[0], type: 'array', min: 1 }]}
            >
              <Select
                mode="multiple"
                options={levels.map((l) => ({ value: l, label: name(LEVEL_NAMES[l]) }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="categories"
          label={t('vouchers.categories')}
          rules={[{ ...required[0], type: 'array', min: 1 }]}
        >
          <Select
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            options={TRAINEE_CATEGORIES.map((c) => ({ value: c, label: name(TRAINEE_CATEGORY_NAMES[c]) }))}
          />
        </Form.Item>
        <Form.Item
          name="institutionIds"
          label={t('vouchers.institutions')}
          extra={t('vouchers.institutionsHint')}
          rules={[{ type: 'array', max: 200 }]}
        >
          {/* No list of institutions is open to the bureau's management: their ids, typed. */}
          <Select
            mode="tags"
            tokenSeparators={[',', '，', '、', ' ']}
            open={false}
            suffixIcon={null}
            placeholder={t('vouchers.anyInstitution')}
          />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="validFrom" label={t('vouchers.validFrom')} rules={required}>
              <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="validUntil"
              label={t('vouchers.validUntil')}
              dependencies={['validFrom']}
              rules={[
                ...required,
                ({ getFieldValue }) => ({
                  validator: async (_, v?: Dayjs) => {
                    const from = getFieldValue('validFrom') as Dayjs | undefined;
                    if (v && from && v.isBefore(from, 'day')) throw new Error(t('vouchers.untilBeforeFrom'));
                  },
                }),
              ]}
            >
              <DatePicker
                style={{ width: '100%' }}
                format="YYYY-MM-DD"
                disabledDate={(d: Dayjs) => d.isBefore(today, 'day')}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="quantity" label={t('vouchers.quantity')} rules={required}>
              <InputNumber min={1} max={1_000_000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="fundingChannel" label={t('vouchers.fundingChannel')} rules={required}>
              <Select
                options={Object.entries(FUNDING_CHANNEL_NAMES).map(([value, n]) => ({
                  value,
                  label: name(n),
                }))}
              />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </FormModal>
  );
}
