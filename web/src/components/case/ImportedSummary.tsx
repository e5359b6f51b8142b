// 历史数据导入: a class imported from the bureau's predecessor system is only the summary it closed with. The case
// page says so, and shows that summary where a running case shows its work (api/routes/admin/history.ts).
import { Alert, Card, Descriptions } from 'antd';
import type { CaseView } from '../../api';
import { date, yuan } from '../../format';
import { useI18n } from '../../i18n';

export function ImportedSummary({ row }: { row: CaseView['class'] }) {
  const { t } = useI18n();
  if (!row.imported) return null;
  return (
    <>
      <Alert
        className="sf-block"
        type="info"
        showIcon
        data-testid="imported-note"
        title={t('case.importedNote', { source: row.imported.source, ref: row.imported.ref })}
      />
      <Card className="sf-block" title={t('imported.summary')} data-testid="imported-summary">
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }}>
          <Descriptions.Item label={t('imported.openedOn')}>{date(row.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('imported.assessedOn')}>
            {date(row.plan?.plannedAssessmentDate)}
          </Descriptions.Item>
          <Descriptions.Item label={t('imported.closedOn')}>{date(row.stageSince)}</Descriptions.Item>
          <Descriptions.Item label={t('imported.capacity')}>
            {row.capacity} · {row.classHours} {t('imported.hours')}
          </Descriptions.Item>
          <Descriptions.Item label={t('imported.trainees')}>{row.traineeCount}</Descriptions.Item>
          <Descriptions.Item label={t('imported.passed')}>{row.passedCount}</Descriptions.Item>
          <Descriptions.Item label={t('imported.certified')}>{row.certifiedCount}</Descriptions.Item>
          <Descriptions.Item label={t('imported.employed')}>{row.employedCount}</Descriptions.Item>
          <Descriptions.Item label={t('imported.paid')}>{yuan(row.paidFen)}</Descriptions.Item>
          <Descriptions.Item label={t('imported.advanced')}>{yuan(row.advancedFen)}</Descriptions.Item>
          <Descriptions.Item label={t('imported.recovered')}>{yuan(row.recoveredFen)}</Descriptions.Item>
        </Descriptions>
      </Card>
    </>
  );
}
