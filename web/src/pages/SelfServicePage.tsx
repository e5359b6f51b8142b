// 个人查询 (issue 16 point 1): a trainee sees their own lifelong training record without an account — ID number and
// name, then the one-time code sent to their registered phone (in a demo the simulated text message is shown on the
// page). The token lives in this page only (never stored, never in the address); 退出查询 forgets it.
import { PrinterOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Space } from 'antd';
import { useState } from 'react';
import { ApiError, endpoints, type PersonRecord, type PersonVoucher } from '../api';
import { IdNumberItem } from '../components/IdNumberItem';
import { PersonRecordView } from '../components/PersonRecordView';
import { PublicFrame } from '../components/PublicFrame';
import { SurveyModal } from '../components/SurveyModal';
import { InvitationsCard } from '../components/InvitationsCard';
import { useApiError } from '../hooks';
import { useI18n } from '../i18n';

const CODE_MINUTES = 5;

export function SelfServicePage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const [who] = Form.useForm<{ idNumber: string; name: string }>();
  const [proof] = Form.useForm<{ code: string }>();
  const [sent, setSent] = useState<{ idNumber: string; simulatedText: string | null }>();
  const [record, setRecord] = useState<PersonRecord>();
  const [token, setToken] = useState('');
  const [surveyed, setSurveyed] = useState<PersonRecord['classes'][number]>();
  const [shownAt, setShownAt] = useState('');
  const [busy, setBusy] = useState(false);

  const askCode = async (v: { idNumber: string; name: string }) => {
    setBusy(true);
    try {
      const answer = await endpoints.selfServiceCode(v.idNumber.trim(), v.name.trim());
      setSent({ idNumber: v.idNumber.trim(), simulatedText: answer.simulatedText });
      proof.resetFields();
    } catch (err) {
      showError(err, who);
    } finally {
      setBusy(false);
    }
  };
  const open = async (v: { code: string }) => {
    if (!sent) return;
    setBusy(true);
    try {
      const opened = await endpoints.selfServiceSession(sent.idNumber, v.code.trim());
      setToken(opened.token);
      setRecord(await endpoints.selfServiceRecord(opened.token));
      setShownAt(new Date().toISOString());
    } catch (err) {
      if (err instanceof ApiError && err.problem.status === 401) setSent(undefined);
      showError(err, proof);
    } finally {
      setBusy(false);
    }
  };
  const leave = () => {
    setRecord(undefined);
    setToken('');
    setSent(undefined);
    who.resetFields();
    proof.resetFields();
  };
  /** 领取: the voucher becomes the person's to use; the record again either way (claimed now, or since). */
  const claim = async (v: PersonVoucher) => {
    try {
      await endpoints.claimVoucher(token, v.voucherId);
      message.success(t('record.claimed'));
    } catch (err) {
      showError(err);
      if (err instanceof ApiError && err.problem.status === 401) return leave();
    }
    await endpoints.selfServiceRecord(token).then(setRecord, showError);
  };

  return (
    <PublicFrame title={t('self.title')}>
      <h1 className="sf-page-title sf-block" data-testid="page-title">
        {t('self.title')}
      </h1>
      {!record && (
        <Card className="sf-block" style={{ maxWidth: 560 }}>
          <p>{t('self.intro')}</p>
          <Form form={who} layout="vertical" onFinish={(v) => void askCode(v)} data-testid="self-who">
            <IdNumberItem />
            <Form.Item
              name="name"
              label={t('trainee.name')}
              rules={[{ required: true, whitespace: true, message: t('self.nameRequired') }]}
            >
              <Input autoComplete="name" maxLength={30} />
            </Form.Item>
            <Button htmlType="submit" loading={busy && !sent} data-testid="self-get-code">
              {t('self.getCode')}
            </Button>
          </Form>
          {sent && (
            <>
              <Alert
                style={{ marginTop: 16 }}
                type="success"
                showIcon
                message={t('self.sent', { minutes: CODE_MINUTES })}
                data-testid="self-sent"
              />
              {sent.simulatedText && (
                <Alert
                  style={{ marginTop: 8 }}
                  type="info"
                  message={t('self.simulated')}
                  description={sent.simulatedText}
                  data-testid="self-simulated-sms"
                />
              )}
              <Form
                form={proof}
                layout="vertical"
                style={{ marginTop: 16 }}
                onFinish={(v) => void open(v)}
                data-testid="self-proof"
              >
                <Form.Item
                  name="code"
                  label={t('self.code')}
                  rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('self.codeRequired') }]}
                >
                  <Input autoComplete="one-time-code" inputMode="numeric" maxLength={6} />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={busy} data-testid="self-open">
                  {t('self.open')}
                </Button>
              </Form>
            </>
          )}
        </Card>
      )}
      {record && (
        <>
          <Space className="sf-no-print sf-block" wrap>
            <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
              {t('approvalForm.print')}
            </Button>
            <Button onClick={leave} data-testid="self-leave">
              {t('self.leave')}
            </Button>
          </Space>
          <InvitationsCard
            token={token}
            invitations={record.invitations}
            onAnswered={() => void endpoints.selfServiceRecord(token).then(setRecord, showError)}
          />
          <PersonRecordView
            record={record}
            shownAt={shownAt}
            linkClasses={false}
            onSurvey={setSurveyed}
            onClaim={claim}
          />
          <SurveyModal
            token={token}
            line={surveyed}
            onClose={(done) => {
              setSurveyed(undefined);
              // the record again: the class now says 已评价 (an expired look-up goes back to the start)
              if (done)
                endpoints.selfServiceRecord(token).then(setRecord, (err: unknown) => {
                  if (err instanceof ApiError && err.problem.status === 401) leave();
                  showError(err);
                });
            }}
          />
        </>
      )}
    </PublicFrame>
  );
}
