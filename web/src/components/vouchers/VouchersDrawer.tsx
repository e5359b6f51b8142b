// 培训券明细: what a programme is (its occupations, levels, categories, institutions, days and fund) and its
// vouchers, masked, newest first, of one status or all, a page at a time ("load more" by the API's cursor).
import { Button, Descriptions, Drawer, Grid, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { endpoints, type VoucherProgramme, type VoucherRow, type VoucherStatus } from '../../api';
import { date, dateTime } from '../../format';
import { useCursorList } from '../../hooks';
import { useI18n } from '../../i18n';
import {
  FUNDING_CHANNEL_NAMES,
  LEVEL_NAMES,
  namesOf,
  occupationNamed,
  TRAINEE_CATEGORY_NAMES,
  VOUCHER_STATUS_NAMES,
  VOUCHER_STATUSES,
} from '../../names';
import { href } from '../../router';
import { ResponsiveTable } from '../ResponsiveTable';
import { VoucherStatusTag } from '../VoucherStatusTag';

const PAGE = 20;

function ProgrammeVouchers({ programme }: { programme: VoucherProgramme }) {
  const i18n = useI18n();
  const { t, name } = i18n;
  const [status, setStatus] = useState<VoucherStatus | ''>('');
  const list = useCursorList(
    (cursor) =>
      endpoints.programmeVouchers(programme.programmeId, {
        status: status || undefined,
        limit: PAGE,
        cursor,
      }),
    [programme.programmeId, status],
  );
  const p = programme;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Descriptions
        size="small"
        column={1}
        data-testid="programme-details"
        items={[
          {
            key: 'occ',
            label: t('vouchers.occupations'),
            children: namesOf(p.occupationCodes, occupationNamed, i18n),
          },
          {
            key: 'levels',
            label: t('vouchers.levels'),
            children: namesOf(p.levels, (l) => LEVEL_NAMES[l as keyof typeof LEVEL_NAMES], i18n),
          },
          {
            key: 'categories',
            label: t('vouchers.categories'),
            children: namesOf(
              p.categories,
              (c) => TRAINEE_CATEGORY_NAMES[c as keyof typeof TRAINEE_CATEGORY_NAMES],
              i18n,
            ),
          },
          {
            key: 'inst',
            label: t('vouchers.institutions'),
            children: p.institutionIds.length ? p.institutionIds.join('、') : t('vouchers.anyInstitution'),
          },
          {
            key: 'valid',
            label: t('vouchers.validity'),
            children: `${date(p.validFrom)} ~ ${date(p.validUntil)}`,
          },
          {
            key: 'fund',
            label: t('vouchers.fundingChannel'),
            children: name(FUNDING_CHANNEL_NAMES[p.fundingChannel], p.fundingChannel),
          },
          { key: 'quantity', label: t('vouchers.quantity'), children: p.quantity },
          { key: 'created', label: t('vouchers.createdBy'), children: dateTime(p.createdAt) },
        ]}
      />
      <Space wrap>
        <label htmlFor="voucher-status-filter">{t('vouchers.statusFilter')}</label>
        <Select<VoucherStatus | ''>
          id="voucher-status-filter"
          value={status}
          onChange={setStatus}
          style={{ width: 160 }}
          data-testid="voucher-status-filter"
          options={[
            { value: '', label: t('common.all') },
            ...VOUCHER_STATUSES.map((s) => ({ value: s, label: name(VOUCHER_STATUS_NAMES[s]) })),
          ]}
        />
      </Space>
      <ResponsiveTable<VoucherRow>
        rowKey="voucherId"
        size="small"
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        scroll={{ x: 840 }}
        data-testid="voucher-rows"
        locale={{ emptyText: t('vouchers.noVouchers') }}
        phoneTitle={(v) => `${v.nameMasked} ${v.idMasked}`}
        columns={[
          {
            title: t('vouchers.holder'),
            key: 'holder',
            width: 170,
            render: (_, v) => (
              <span style={{ fontVariantNumeric: 'tabular-nums' }}>
                {v.nameMasked} {v.idMasked}
              </span>
            ),
          },
          { title: t('vouchers.voucherId'), dataIndex: 'voucherId', width: 140 },
          {
            title: t('vouchers.status'),
            dataIndex: 'status',
            width: 80,
            render: (s: VoucherStatus) => <VoucherStatusTag status={s} />,
          },
          { title: t('vouchers.issuedAt'), dataIndex: 'issuedAt', width: 110, render: dateTime },
          { title: t('vouchers.claimedAt'), dataIndex: 'claimedAt', width: 110, render: dateTime },
          {
            title: t('vouchers.class'),
            dataIndex: 'classId',
            width: 130,
            render: (id: string | null) =>
              id ? <a href={href(`/cases/${encodeURIComponent(id)}`)}>{id}</a> : '—',
          },
          {
            title: t('vouchers.closedAt'),
            key: 'closed',
            width: 110,
            render: (_, v) => dateTime(v.redeemedAt ?? v.expiredAt),
          },
        ]}
      />
      {list.hasMore && (
        <Button block onClick={list.more} loading={list.loading} data-testid="vouchers-more">
          {t('common.more')}
        </Button>
      )}
      <Typography.Text type="secondary" className="sf-no-print">
        {t('vouchers.shown', { n: list.items.length })}
      </Typography.Text>
    </Space>
  );
}

export function VouchersDrawer({
  programme,
  onClose,
}: {
  programme: VoucherProgramme | null;
  onClose(): void;
}) {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  return (
    <Drawer
      open={programme !== null}
      onClose={onClose}
      size={screens.md ? 900 : '100%'}
      title={t('vouchers.listTitle', { name: programme?.name ?? '' })}
      destroyOnHidden
      data-testid="vouchers-drawer"
    >
      {programme && <ProgrammeVouchers key={programme.programmeId} programme={programme} />}
    </Drawer>
  );
}
