// 机构门户: the institution's own classes, with the way to a new class plan.
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Space } from 'antd';
import { endpoints, type ClassRow } from '../api';
import { DueDate } from '../components/DueDate';
import { ExportButton } from '../components/ExportButton';
import { ResponsiveTable } from '../components/ResponsiveTable';
import { PageHeader } from '../components/PageHeader';
import { StageTag } from '../components/StageTag';
import { date } from '../format';
import { useCursorList } from '../hooks';
import { useI18n } from '../i18n';
import { LEVEL_NAMES, occupationNamed } from '../names';
import { href } from '../router';

export function PortalPage() {
  const { t, name } = useI18n();
  const list = useCursorList((cursor) => endpoints.myClasses({ limit: 50, cursor }), []);

  return (
    <>
      <PageHeader
        title={t('portal.title')}
        extra={
          <Space wrap>
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              {t('common.refresh')}
            </Button>
            {/* the institution's own classes only: the API scopes the export as it scopes the list */}
            <ExportButton
              load={() => endpoints.casesExport({})}
              filename="classes.xlsx"
              testId="portal-export"
            />
            <Button type="primary" icon={<PlusOutlined />} href={href('/portal/new')} data-testid="new-class">
              {t('portal.new')}
            </Button>
          </Space>
        }
      />
      <Card>
        <ResponsiveTable<ClassRow>
          rowKey="id"
          loading={list.loading}
          dataSource={list.items}
          pagination={false}
          size="middle"
          scroll={{ x: 900 }}
          data-testid="portal-classes"
          columns={[
            {
              title: t('inbox.class'),
              key: 'class',
              render: (_, c) => (
                <div>
                  <a href={href(`/portal/classes/${encodeURIComponent(c.id)}`)}>{c.title || c.id}</a>
                  <div className="sf-muted" style={{ fontSize: 12 }}>
                    {c.id}
                  </div>
                </div>
              ),
            },
            { title: t('inbox.stage'), dataIndex: 'stage', render: (s: string) => <StageTag stage={s} /> },
            {
              title: t('case.occupation'),
              key: 'occ',
              render: (_, c) =>
                `${name(occupationNamed(c.occupationCode), c.occupationCode)} · ${name(
                  LEVEL_NAMES[c.level as keyof typeof LEVEL_NAMES],
                  c.level,
                )}`,
            },
            {
              title: t('plan.period'),
              key: 'period',
              render: (_, c) => `${date(c.plannedStart)} ~ ${date(c.plannedEnd)}`,
            },
            {
              title: t('portal.enrolledOfCapacity'),
              key: 'cap',
              align: 'right',
              render: (_, c) => `${c.traineeCount} / ${c.capacity}`,
            },
            {
              title: t('case.due'),
              key: 'due',
              render: (_, c) => <DueDate dueAt={c.dueAt} overdue={c.overdue} escalated={c.escalated} />,
            },
          ]}
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
