// The parts every filtered list shares (案件查询, 待办): the stage and overdue choices, and the row of buttons
// under the filters — search, reset, export what the search finds, and whatever the list adds after them.
import { Button, Space } from 'antd';
import type { ReactNode } from 'react';
import { ExportButton } from './ExportButton';
import { useI18n } from '../i18n';
import { STAGE_NAMES } from '../names';

/** The stages a list can be filtered by, in the process's order, in the user's language. */
export function useStageOptions() {
  const { name } = useI18n();
  return Object.entries(STAGE_NAMES).map(([value, n]) => ({ value, label: name(n) }));
}

/** Overdue or not (an empty choice is "all"). */
export function useOverdueOptions() {
  const { t } = useI18n();
  return [
    { value: 'true', label: t('tag.overdue') },
    { value: 'false', label: t('common.no') },
  ];
}

export function FilterButtons(props: {
  onReset: () => void;
  exportLoad: () => Promise<Blob>;
  exportFilename: string;
  exportTestId: string;
  searchTestId?: string;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Space wrap>
      <Button type="primary" htmlType="submit" data-testid={props.searchTestId}>
        {t('common.search')}
      </Button>
      <Button onClick={props.onReset}>{t('common.reset')}</Button>
      <ExportButton load={props.exportLoad} filename={props.exportFilename} testId={props.exportTestId} />
      {props.children}
    </Space>
  );
}
