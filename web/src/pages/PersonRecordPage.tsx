// 人员培训档案 (issue 16 point 1): a person's lifelong training record for the bureau's staff — looked up by ID number
// with a reason (the access audit's basis), never through the URL; every class with its outcome, every subsidy
// counted against the caps, and what is left: subsidies, and the levels a new training subsidy can no longer take.
// Names and ID numbers stay masked. 打印 / 导出PDF prints the record without the form, the menu or the buttons
// (styles.css, @media print); the browser saves it as a PDF.
import { PrinterOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Form, Input, Row } from 'antd';
import { useState } from 'react';
import { ApiError, endpoints, type PersonRecord } from '../api';
import { IdNumberItem } from '../components/IdNumberItem';
import { PageHeader } from '../components/PageHeader';
import { PersonRecordView } from '../components/PersonRecordView';
import { useApiError } from '../hooks';
import { useI18n } from '../i18n';

export function PersonRecordPage() {
  const { t } = useI18n();
  const [form] = Form.useForm<{ idNumber: string; reason: string }>();
  const showError = useApiError();
  const [record, setRecord] = useState<PersonRecord>();
  const [shownAt, setShownAt] = useState('');
  const [notFound, setNotFound] = useState(false);
  const [busy, setBusy] = useState(false);

  const lookUp = async (values: { idNumber: string; reason: string }) => {
    setBusy(true);
    setNotFound(false);
    try {
      setRecord(await endpoints.personRecord(values.idNumber.trim(), values.reason.trim()));
      setShownAt(new Date().toISOString());
    } catch (err) {
      setRecord(undefined);
      if (err instanceof ApiError && err.problem.status === 404) setNotFound(true);
      else showError(err, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader
        title={t('record.title')}
        extra={
          record && (
            <Button
              className="sf-no-print"
              icon={<PrinterOutlined />}
              onClick={() => window.print()}
              data-testid="record-print"
            >
              {t('approvalForm.print')}
            </Button>
          )
        }
      />
      <Card className="sf-block sf-no-print">
        <Form form={form} layout="vertical" onFinish={(v) => void lookUp(v)} data-testid="record-form">
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <IdNumberItem />
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="reason"
                label={t('record.reason')}
                extra={t('record.reasonHint')}
                rules={[{ required: true, whitespace: true, min: 2, message: t('record.reasonRequired') }]}
              >
                <Input maxLength={500} />
              </Form.Item>
            </Col>
            <Col xs={24} md={4}>
              <Form.Item label=" " colon={false}>
                <Button type="primary" htmlType="submit" icon={<SearchOutlined />} loading={busy} block>
                  {t('common.search')}
                </Button>
              </Form.Item>
            </Col>
          </Row>
        </Form>
        {notFound && (
          <Alert type="info" showIcon message={t('record.notFound')} data-testid="record-not-found" />
        )}
      </Card>

      {record && <PersonRecordView record={record} shownAt={shownAt} linkClasses />}
    </>
  );
}
