// 电子培训券 (issue 16 point 2): the bureau's voucher programmes with their funnel — issued, claimed, reserved by an
// enrolment, redeemed (the training subsidy paid), expired, left to issue — and the money paid for them. The
// section head sets a programme up (设立项目); caseworkers and the section head issue its vouchers (发放); everyone
// here opens a programme's vouchers (明细). Finance reads.
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { endpoints, type VoucherProgramme } from '../api';
import { Money } from '../components/Money';
import { PageHeader } from '../components/PageHeader';
import { ResponsiveTable } from '../components/ResponsiveTable';
import { IssueModal } from '../components/vouchers/IssueModal';
import { ProgrammeModal } from '../components/vouchers/ProgrammeModal';
import { VouchersDrawer } from '../components/vouchers/VouchersDrawer';
import { date } from '../format';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n';
import { FUNDING_CHANNEL_NAMES, LEVEL_NAMES, namesOf, occupationNamed } from '../names';
import { useSession } from '../session';

const FUNNEL = ['issued', 'claimed', 'reserved', 'redeemed', 'expired', 'remaining'] as const;

/** The programme's vouchers by where they are, as term and count pairs (cards on a phone keep them together). */
function Funnel({ programme }: { programme: VoucherProgramme }) {
  const { t } = useI18n();
  return (
    <dl className="sf-funnel" data-testid={`funnel-${programme.programmeId}`}>
      {FUNNEL.map((k) => (
        <div key={k} className="sf-funnel-item" data-testid={`funnel-${k}`}>
          <dt>{t(`vouchers.count.${k}`)}</dt>
          <dd>{programme.vouchers[k]}</dd>
        </div>
      ))}
    </dl>
  );
}

export function VouchersPage() {
  const i18n = useI18n();
  const { t, name } = i18n;
  const { user } = useSession();
  const canSetUp = user?.role === 'MANAGER';
  const canIssue = user?.role === 'CASEWORKER' || user?.role === 'MANAGER';
  const { data, loading, reload } = useLoad(() => endpoints.voucherProgrammes(), []);
  const [creating, setCreating] = useState(false);
  const [issuing, setIssuing] = useState<VoucherProgramme | null>(null);
  const [viewing, setViewing] = useState<VoucherProgramme | null>(null);

  return (
    <>
      <PageHeader
        title={t('vouchers.title')}
        extra={
          canSetUp && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="programme-create"
            >
              {t('vouchers.create')}
            </Button>
          )
        }
      >
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('vouchers.intro')}
        </Typography.Paragraph>
      </PageHeader>
      <Card className="sf-block">
        <ResponsiveTable<VoucherProgramme>
          rowKey="programmeId"
          dataSource={data?.items ?? []}
          loading={loading}
          pagination={false}
          scroll={{ x: 1100 }}
          data-testid="programme-table"
          locale={{ emptyText: t('vouchers.empty') }}
          columns={[
            {
              title: t('vouchers.name'),
              key: 'name',
              width: 190,
              render: (_, p) => (
                <div data-testid={`programme-${p.programmeId}`}>
                  <strong>{p.name}</strong>
                  {p.ended && (
                    <Tag style={{ marginLeft: 8 }} data-testid="programme-ended">
                      {t('vouchers.ended')}
                    </Tag>
                  )}
                  <div className="sf-muted" style={{ fontSize: 12 }}>
                    {p.programmeId}
                  </div>
                  <div className="sf-muted" style={{ fontSize: 12 }}>
                    {t('vouchers.count.quantity')} {p.quantity}
                  </div>
                </div>
              ),
            },
            {
              title: t('vouchers.occupations'),
              key: 'occupations',
              width: 170,
              render: (_, p) => (
                <div>
                  {namesOf(p.occupationCodes, occupationNamed, i18n)}
                  <div className="sf-muted" style={{ fontSize: 12 }}>
                    {namesOf(p.levels, (l) => LEVEL_NAMES[l as keyof typeof LEVEL_NAMES], i18n)}
                  </div>
                </div>
              ),
            },
            {
              title: t('vouchers.validity'),
              key: 'validity',
              width: 120,
              render: (_, p) => (
                <span style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                  {date(p.validFrom)} ~<br />
                  {date(p.validUntil)}
                </span>
              ),
            },
            {
              title: t('vouchers.fundingChannel'),
              dataIndex: 'fundingChannel',
              width: 120,
              render: (f: string) => name(FUNDING_CHANNEL_NAMES[f], f),
            },
            {
              title: t('vouchers.funnel'),
              key: 'funnel',
              width: 280,
              render: (_, p) => <Funnel programme={p} />,
            },
            {
              title: t('vouchers.redeemedFen'),
              dataIndex: 'redeemedFen',
              width: 110,
              align: 'right',
              render: (fen: number) => <Money fen={fen} />,
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 140,
              render: (_, p) => (
                <Space wrap size={4}>
                  {canIssue && (
                    <Button
                      size="small"
                      type="primary"
                      disabled={p.ended || p.vouchers.remaining === 0}
                      onClick={() => setIssuing(p)}
                      data-testid={`issue-${p.programmeId}`}
                    >
                      {t('vouchers.issue')}
                    </Button>
                  )}
                  <Button
                    size="small"
                    onClick={() => setViewing(p)}
                    data-testid={`vouchers-${p.programmeId}`}
                  >
                    {t('vouchers.details')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {canSetUp && (
        <ProgrammeModal
          open={creating}
          onClose={(created) => {
            setCreating(false);
            if (created) reload();
          }}
        />
      )}
      <IssueModal
        programme={issuing}
        onClose={(issued) => {
          setIssuing(null);
          if (issued) reload();
        }}
      />
      <VouchersDrawer programme={viewing} onClose={() => setViewing(null)} />
    </>
  );
}
