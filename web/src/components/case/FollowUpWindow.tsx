// 就业跟踪期: a trainee's employment follow-up window, shown wherever evidence is entered or judged. Employment
// counts from the day after training ended (the day of the event is not counted, Civil Code art. 201) until
// 24:00 of the window's last day (DOMAIN.md §6). A window computed before that year's holidays were announced
// is provisional: its last day may move when they are.
import { Descriptions, Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import type { TraineeRow } from '../../api';
import { useI18n } from '../../i18n';

export type FollowUpWindow = NonNullable<TraineeRow['followUpWindow']>;

/** The first day employment counts: the day after training ended. */
export const firstDayOf = (w: FollowUpWindow) => dayjs(w.trainingEnd).add(1, 'day').format('YYYY-MM-DD');

/** A date (YYYY-MM-DD) the server accepts: after the end of training and no later than the last day. */
export const withinWindow = (day: string, w: FollowUpWindow) => day > w.trainingEnd && day <= w.endsOn;

function Provisional() {
  const { t } = useI18n();
  return (
    <Tooltip title={t('window.provisionalHint')}>
      <Tag color="orange" data-testid="window-provisional">
        {t('window.provisional')}
      </Tag>
    </Tooltip>
  );
}

/** One line: "2026-12-01 至 2027-03-01 24:00" (for rows and tables). */
export function FollowUpWindowText({ window: w, label }: { window: FollowUpWindow; label?: boolean }) {
  const { t } = useI18n();
  return (
    <span data-testid="follow-up-window">
      {label && `${t('window.label')} `}
      {t('window.range', { from: firstDayOf(w), to: w.endsOn })}
      {w.provisional && (
        <>
          {' '}
          <Provisional />
        </>
      )}
    </span>
  );
}

/** The window in full, for the dialogs: when training ended, when the window opens and when it closes. */
export function FollowUpWindowCard({ window: w }: { window: FollowUpWindow }) {
  const { t } = useI18n();
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      className="sf-block"
      data-testid="follow-up-window-card"
      title={t('window.label')}
      extra={w.provisional ? <Provisional /> : undefined}
      items={[
        { key: 'end', label: t('window.trainingEnd'), children: w.trainingEnd },
        { key: 'opens', label: t('window.start'), children: firstDayOf(w) },
        { key: 'closes', label: t('window.end'), children: t('window.endsAt', { date: w.endsOn }) },
      ]}
    />
  );
}
