// 案件查询: every class the user may see, filtered by stage, overdue flag or a class id / title search.
import { Button, Card, Col, Form, Input, Row, Select, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { endpoints, type ClassRow } from '../api';
import { ClassCell } from '../components/ClassCell';
import { DueDate } from '../components/DueDate';
import { FilterButtons, useOverdueOptions, useStageOptions } from '../components/ListFilters';
import { PageHeader } from '../components/PageHeader';
import { ResponsiveTable } from '../components/ResponsiveTable';
import { StageTag } from '../components/StageTag';
import { date } from '../format';
import { useCursorList } from '../hooks';
import { useI18n } from '../i18n';
import { LEVEL_NAMES, occupationNamed } from '../names';
import { useLocation } from '../router';

interface Filters {
  q?: string;
  stage?: string;
  overdue?: 'true' | 'false';
  district?: string;
  institutionId?: string;
}

/** A link (from the dashboard) opens the list filtered: #/cases?stage=TRAINING&overdue=true&district=… */
function fromLink(query: URLSearchParams): Filters {
  const f: Record<string, string> = {};
  for (const k of ['q', 'stage', 'overdue', 'district', 'institutionId'])
    if (query.get(k)) f[k] = query.get(k)!;
  return f as Filters;
}

export function CasesPage() {
  const { t, name } = useI18n();
  const [form] = Form.useForm<Filters>();
  const stageOptions = useStageOptions();
  const overdueOptions = useOverdueOptions();
  const { query } = useLocation();
  const linked = query.toString();
  const [filters, setFilters] = useState<Filters>(() => fromLink(query));
  useEffect(() => {
    const f = fromLink(new URLSearchParams(linked));
    form.resetFields();
    form.setFieldsValue(f);
    setFilters(f);
  }, [linked, form]);
  const list = useCursorList(
    (cursor) => endpoints.cases({ ...filters, q: filters.q?.trim(), limit: 20, cursor }),
    [filters],
  );

  const columns: ColumnsType<ClassRow> = [
    {
      title: t('inbox.class'),
      key: 'class',
      render: (_, c) => <ClassCell id={c.id} title={c.title} />,
    },
    {
      title: t('inbox.stage'),
      dataIndex: 'stage',
      render: (s: string, c) => (
        <>
          <StageTag stage={s} />
          {c.imported && <Tag data-testid={`imported-${c.id}`}>{t('case.imported')}</Tag>}
        </>
      ),
    },
    { title: t('case.institution'), key: 'inst', render: (_, c) => c.institutionName ?? c.institutionId },
    {
      title: t('case.occupation'),
      key: 'occ',
      render: (_, c) =>
        `${name(occupationNamed(c.occupationCode), c.occupationCode)} · ${name(
          LEVEL_NAMES[c.level as keyof typeof LEVEL_NAMES],
          c.level,
        )}`,
    },
    { title: t('case.district'), dataIndex: 'district' },
    {
      title: t('plan.period'),
      key: 'period',
      render: (_, c) => `${date(c.plannedStart)} ~ ${date(c.plannedEnd)}`,
    },
    {
      title: t('case.due'),
      key: 'due',
      render: (_, c) => <DueDate dueAt={c.dueAt} overdue={c.overdue} escalated={c.escalated} />,
    },
  ];

  return (
    <>
      <PageHeader title={t('cases.title')} />
      <Card className="sf-block">
        <Form form={form} layout="vertical" onFinish={(v) => setFilters({ ...v })}>
          <Row gutter={16}>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="q" label={t('cases.q')}>
                <Input allowClear />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="stage" label={t('inbox.stage')}>
                <Select allowClear placeholder={t('common.all')} options={stageOptions} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="overdue" label={t('inbox.overdue')}>
                <Select allowClear placeholder={t('common.all')} options={overdueOptions} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="district" label={t('inbox.district')}>
                <Input allowClear />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="institutionId" label={t('dashboard.institution')}>
                <Input allowClear placeholder="inst-…" />
              </Form.Item>
            </Col>
          </Row>
          <FilterButtons
            onReset={() => {
              form.resetFields();
              setFilters({});
            }}
            exportLoad={() => endpoints.casesExport({ ...filters, q: filters.q?.trim() })}
            exportFilename="cases.xlsx"
            exportTestId="cases-export"
          />
        </Form>
      </Card>
      <Card>
        <ResponsiveTable<ClassRow>
          rowKey="id"
          data-testid="cases-table"
          columns={columns}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          size="middle"
          scroll={{ x: 900 }}
        />
        {list.hasMore && (
          <div style={{ textAlign: 'center', marginTop: 16 }}>
            <Button onClick={list.more} loading={list.loading}>
              {t('common.more')}
            </Button>
          </div>
        )}
      </Card>
    </>
  );
}
