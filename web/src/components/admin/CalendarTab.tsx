// 工作日历 (ADMIN): the State Council's holiday arrangement of every year the calendar library knows is
// preloaded; a year it does not know (the next one, until announced) is warned of, since every deadline
// reaching into it is provisional. Entering days or marking a year announced recomputes open deadlines.
import {
  Alert,
  App,
  Button,
  DatePicker,
  Form,
  Input,
  Popconfirm,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { dayOfWeek, shanghaiDate, yearOf } from '../../../../domain/dates';
import { endpoints, type CalendarEntry, type CalendarYearDay } from '../../api';
import { useApiError, useCursorList, useLoad } from '../../hooks';
import { useI18n, type MessageKey } from '../../i18n';
import { ResponsiveTable } from '../ResponsiveTable';

const SOURCE: Record<CalendarYearDay['source'], { key: MessageKey; color: string }> = {
  PACKAGE: { key: 'calendar.source.PACKAGE', color: 'default' },
  ADMIN: { key: 'calendar.source.ADMIN', color: 'purple' },
  PROVISIONAL: { key: 'calendar.source.PROVISIONAL', color: 'orange' },
};
const WEEKDAYS: MessageKey[] = [
  'calendar.sun',
  'calendar.mon',
  'calendar.tue',
  'calendar.wed',
  'calendar.thu',
  'calendar.fri',
  'calendar.sat',
];

function KindTag({ kind }: { kind: 'HOLIDAY' | 'WORKDAY' }) {
  const { t } = useI18n();
  return kind === 'HOLIDAY' ? (
    <Tag color="red">{t('admin.holiday')}</Tag>
  ) : (
    <Tag color="blue">{t('admin.workday')}</Tag>
  );
}

export function CalendarTab() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const [summary, setSummary] = useState<{
    announced: number[];
    packageYears: { from: number; to: number };
    unannounced: number[];
  }>();
  const list = useCursorList(async (cursor) => {
    const page = await endpoints.calendar({ limit: 100, cursor, sort: '-date' });
    setSummary({
      announced: page.announcedYears,
      packageYears: page.packageYears,
      unannounced: page.unannouncedYears,
    });
    return page;
  }, []);
  const [year, setYear] = useState(() => yearOf(shanghaiDate(new Date().toISOString())));
  const shown = useLoad(() => endpoints.calendarYear(year), [year]);
  const [form] = Form.useForm<{ date: Dayjs; kind: 'HOLIDAY' | 'WORKDAY'; name?: string }>();
  const [busy, setBusy] = useState(false);

  const enter = async (body: Parameters<typeof endpoints.addCalendar>[0], done: () => void) => {
    setBusy(true);
    try {
      const r = await endpoints.addCalendar(body);
      message.success(t('admin.calendarSaved', { n: r.signalled.ok }));
      done();
      list.reload();
      shown.reload();
    } catch (e) {
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };
  const add = (v: { date: Dayjs; kind: 'HOLIDAY' | 'WORKDAY'; name?: string }) =>
    enter(
      { entries: [{ date: v.date.format('YYYY-MM-DD'), kind: v.kind, name: v.name?.trim() || undefined }] },
      () => form.resetFields(),
    );

  const years = summary
    ? [
        ...new Set([
          ...Array.from(
            { length: summary.packageYears.to - summary.packageYears.from + 1 },
            (_, i) => summary.packageYears.from + i,
          ),
          ...summary.announced,
          ...summary.unannounced,
          year,
        ]),
      ].sort((a, b) => b - a)
    : [year];

  return (
    <>
      <Typography.Paragraph type="secondary">
        {t('admin.calendarHint')}{' '}
        {summary
          ? t('calendar.preloaded', { from: summary.packageYears.from, to: summary.packageYears.to })
          : ''}{' '}
        {summary?.announced.length ? t('admin.announced', { years: summary.announced.join('、') }) : ''}
      </Typography.Paragraph>
      {summary?.unannounced.map((y) => (
        <Alert
          key={y}
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid={`calendar-unannounced-${y}`}
          message={t('calendar.unannounced', { year: y })}
          description={
            <>
              {t('calendar.unannouncedHint', { year: y })}
              <Space wrap style={{ display: 'flex', marginTop: 8 }}>
                <Button size="small" onClick={() => setYear(y)}>
                  {t('calendar.show', { year: y })}
                </Button>
                <Popconfirm
                  title={t('calendar.markConfirm', { year: y })}
                  okText={t('common.ok')}
                  onConfirm={() => enter({ entries: [], announcedYears: [y] }, () => undefined)}
                >
                  <Button size="small" loading={busy} data-testid={`calendar-announce-${y}`}>
                    {t('calendar.markAnnounced', { year: y })}
                  </Button>
                </Popconfirm>
              </Space>
            </>
          }
        />
      ))}
      <Form
        form={form}
        layout="inline"
        onFinish={add}
        initialValues={{ kind: 'HOLIDAY' }}
        style={{ rowGap: 8 }}
      >
        <Form.Item
          name="date"
          label={t('admin.date')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <DatePicker data-testid="calendar-date" />
        </Form.Item>
        <Form.Item name="kind" label={t('admin.kind')}>
          <Select
            style={{ width: 160 }}
            options={[
              { value: 'HOLIDAY', label: t('admin.holiday') },
              { value: 'WORKDAY', label: t('admin.workday') },
            ]}
          />
        </Form.Item>
        <Form.Item name="name" label={t('calendar.name')}>
          <Input placeholder={t('admin.holidayName')} maxLength={60} style={{ width: 200 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="calendar-add">
          {t('admin.calendarAdd')}
        </Button>
      </Form>

      <Typography.Title level={5} style={{ marginTop: 24 }}>
        <Space wrap>
          {t('calendar.yearTitle')}
          <Select
            aria-label={t('calendar.year')}
            data-testid="calendar-year"
            value={year}
            onChange={setYear}
            style={{ width: 110 }}
            options={years.map((y) => ({ value: y, label: String(y) }))}
          />
          {shown.data && (
            <>
              <Tag color={SOURCE[shown.data.source].color} data-testid="calendar-year-source">
                {t(SOURCE[shown.data.source].key)}
              </Tag>
              <Typography.Text data-testid="calendar-working-days">
                {t('calendar.workingDays', { n: shown.data.workingDays })}
              </Typography.Text>
            </>
          )}
        </Space>
      </Typography.Title>
      {shown.data?.source === 'PROVISIONAL' && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('calendar.provisionalYear', { year: shown.data.year })}
        />
      )}
      <ResponsiveTable<CalendarYearDay>
        rowKey="date"
        size="small"
        data-testid="calendar-year-days"
        loading={shown.loading}
        dataSource={shown.data?.days ?? []}
        pagination={false}
        columns={[
          { title: t('admin.date'), dataIndex: 'date' },
          { title: t('calendar.weekday'), key: 'weekday', render: (_, d) => t(WEEKDAYS[dayOfWeek(d.date)]!) },
          {
            title: t('admin.kind'),
            dataIndex: 'kind',
            render: (k: CalendarYearDay['kind']) => <KindTag kind={k} />,
          },
          { title: t('calendar.name'), dataIndex: 'name', render: (v: string | null) => v ?? '—' },
          {
            title: t('calendar.source'),
            dataIndex: 'source',
            render: (s: CalendarYearDay['source']) => <Tag color={SOURCE[s].color}>{t(SOURCE[s].key)}</Tag>,
          },
        ]}
      />

      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('calendar.entered')}
      </Typography.Title>
      <ResponsiveTable<CalendarEntry>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        locale={{ emptyText: t('calendar.noneEntered') }}
        columns={[
          { title: t('admin.date'), dataIndex: 'date' },
          {
            title: t('admin.kind'),
            dataIndex: 'kind',
            render: (k: CalendarEntry['kind']) => <KindTag kind={k} />,
          },
          { title: t('calendar.name'), dataIndex: 'name', render: (v: string | null) => v ?? '—' },
        ]}
      />
    </>
  );
}
