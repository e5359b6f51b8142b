import { Tag } from 'antd';
import type { VoucherStatus } from '../api';
import { useI18n } from '../i18n';
import { VOUCHER_STATUS_COLORS, VOUCHER_STATUS_NAMES } from '../names';

/** 电子培训券's status: 已发放, 已领取, 已占用, 已兑付, 已过期. */
export function VoucherStatusTag({ status }: { status: VoucherStatus }) {
  const { name } = useI18n();
  return (
    <Tag color={VOUCHER_STATUS_COLORS[status]} data-testid={`voucher-status-${status}`}>
      {name(VOUCHER_STATUS_NAMES[status], status)}
    </Tag>
  );
}
