// What the approve dialog shows: the plan checks and totals, and the optional opinion (审核意见).
import { Input, Typography } from 'antd';
import { useId } from 'react';
import { useI18n } from '../../i18n';
import { PlanChecksPanel } from './PlanChecks';

export function ApproveContent({ classId, onOpinion }: { classId: string; onOpinion(v: string): void }) {
  const { t } = useI18n();
  const field = useId();
  return (
    <div data-testid="approve-dialog">
      <PlanChecksPanel classId={classId} compact />
      <Typography.Text strong>
        <label htmlFor={field}>{t('case.opinionOptional')}</label>
      </Typography.Text>
      <Input.TextArea
        id={field}
        rows={3}
        maxLength={500}
        showCount
        data-testid="approve-opinion"
        onChange={(e) => onOpinion(e.target.value)}
        style={{ marginTop: 4 }}
      />
    </div>
  );
}
