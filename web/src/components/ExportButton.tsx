// 导出 Excel: downloads what a list's search finds as a spreadsheet (the API refuses more than 10,000 rows; the
// refusal is shown like any other).
import { DownloadOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useState } from 'react';
import { saveFile } from '../api';
import { useApiError } from '../hooks';
import { useI18n } from '../i18n';

export function ExportButton(props: { load: () => Promise<Blob>; filename: string; testId: string }) {
  const { t } = useI18n();
  const showError = useApiError();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      saveFile(await props.load(), props.filename);
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<DownloadOutlined />} loading={busy} onClick={run} data-testid={props.testId}>
      {t('cases.export')}
    </Button>
  );
}
