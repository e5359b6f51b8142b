// 发放培训券 (CASEWORKER, MANAGER): to people of the registry named by ID number (one a line, each checked here as
// the API would, so one mistyped number does not refuse the whole list), or picked by a rule (optionally one
// district, up to a number). The answer stays in the dialog: who got one (masked) and who did not, and why.
import { Alert, Button, Form, Input, InputNumber, List, Modal, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { parseIdNumber } from '../../../../domain/identity';
import { endpoints, type VoucherIssue, type VoucherProgramme, type VouchersIssued } from '../../api';
import { useApiError, validated } from '../../hooks';
import { useI18n } from '../../i18n';
import { namesOf, TRAINEE_CATEGORY_NAMES } from '../../names';

type Way = 'ids' | 'rule';
const MAX_IDS = 100;
const linesOf = (text: string | undefined) =>
  (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

export function IssueModal({
  programme,
  onClose,
}: {
  programme: VoucherProgramme | null;
  /** `issued`: some voucher was issued, so the programme's counts changed */
  onClose(issued: boolean): void;
}) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const showError = useApiError();
  const [ids] = Form.useForm<{ idNumbers: string }>();
  const [rule] = Form.useForm<{ rule: { district?: string; limit: number } }>();
  const [way, setWay] = useState<Way>('ids');
  const [answer, setAnswer] = useState<VouchersIssued | null>(null);
  const [issuedAny, setIssuedAny] = useState(false);
  const [busy, setBusy] = useState(false);

  const close = () => {
    onClose(issuedAny);
    setAnswer(null);
    setIssuedAny(false);
    setWay('ids');
  };

  const send = async () => {
    if (!programme) return;
    let body: VoucherIssue;
    if (way === 'ids') {
      const v = await validated(ids);
      if (!v) return;
      body = { idNumbers: linesOf(v.idNumbers).map((l) => l.toUpperCase()) };
    } else {
      const v = await validated(rule);
      if (!v) return;
      body = { rule: { district: v.rule.district?.trim() || undefined, limit: v.rule.limit } };
    }
    setBusy(true);
    try {
      const a = await endpoints.issueVouchers(programme.programmeId, body);
      setAnswer(a);
      if (a.issued.length) setIssuedAny(true);
    } catch (e) {
      const form = way === 'ids' ? ids : rule;
      const p = showError(e, form);
      // An ID number the API refused outright (`idNumber`, `idNumbers.3`): on the list's field.
      const onIds = p?.errors?.filter((x) => /^idNumbers?(\.|$)/.test(x.path)).map((x) => x.message);
      if (way === 'ids' && onIds?.length) ids.setFields([{ name: 'idNumbers', errors: onIds }]);
    } finally {
      setBusy(false);
    }
  };

  // The forms left with the answer (preserve={false}): they come back empty.
  const again = () => setAnswer(null);

  const categories = programme
    ? namesOf(
        programme.categories,
        (c) => TRAINEE_CATEGORY_NAMES[c as keyof typeof TRAINEE_CATEGORY_NAMES],
        i18n,
      )
    : '';

  return (
    <Modal
      open={programme !== null}
      title={t('vouchers.issueTitle', { name: programme?.name ?? '' })}
      onCancel={close}
      destroyOnHidden
      width={640}
      footer={
        answer ? (
          <Space wrap>
            <Button onClick={again} data-testid="issue-more">
              {t('vouchers.issueMore')}
            </Button>
            <Button type="primary" onClick={close} data-testid="issue-done">
              {t('vouchers.done')}
            </Button>
          </Space>
        ) : (
          <Space wrap>
            <Button onClick={close}>{t('common.cancel')}</Button>
            <Button type="primary" loading={busy} onClick={() => void send()} data-testid="issue-ok">
              {t('vouchers.issueSubmit')}
            </Button>
          </Space>
        )
      }
    >
      <div data-testid="issue-modal">
        {programme && !answer && (
          <>
            <Typography.Paragraph type="secondary">
              {t('vouchers.issueLeft', { n: programme.vouchers.remaining, categories })}
            </Typography.Paragraph>
            <Tabs
              activeKey={way}
              onChange={(k) => setWay(k as Way)}
              items={[
                {
                  key: 'ids',
                  label: t('vouchers.byId'),
                  children: (
                    <Form form={ids} name="issueIds" layout="vertical" preserve={false}>
                      <Form.Item
                        name="idNumbers"
                        label={t('vouchers.idNumbers')}
                        rules={[
                          {
                            validator: async (_, text?: string) => {
                              const lines = linesOf(text);
                              if (!lines.length) throw new Error(t('vouchers.idNumbersRequired'));
                              if (lines.length > MAX_IDS) throw new Error(t('vouchers.idNumbersTooMany'));
                              const bad = lines.flatMap((l, i) => {
                                const parsed = parseIdNumber(l);
                                if (parsed.ok) return [];
                                const v = parsed.violations[0]!;
                                return [
                                  t('vouchers.idLine', { n: i + 1, reason: lang === 'en' ? v.en : v.zh }),
                                ];
                              });
                              if (bad.length) throw new Error(bad.slice(0, 3).join('；'));
                            },
                          },
                        ]}
                      >
                        <Input.TextArea
                          rows={6}
                          autoComplete="off"
                          spellCheck={false}
                          style={{ fontVariantNumeric: 'tabular-nums' }}
                          data-testid="issue-id-numbers"
                        />
                      </Form.Item>
                    </Form>
                  ),
                },
                {
                  key: 'rule',
                  label: t('vouchers.byRule'),
                  children: (
                    <Form
                      form={rule}
                      name="issueRule"
                      layout="vertical"
                      preserve={false}
                      initialValues={{
                        rule: { limit: Math.min(100, Math.max(1, programme.vouchers.remaining)) },
                      }}
                    >
                      <Typography.Paragraph type="secondary">{t('vouchers.ruleHint')}</Typography.Paragraph>
                      <Form.Item name={['rule', 'district']} label={t('vouchers.district')}>
                        <Input maxLength={40} />
                      </Form.Item>
                      <Form.Item
                        name={['rule', 'limit']}
                        label={t('vouchers.limit')}
                        rules={[{ required: true, message: t('common.required') }]}
                      >
                        <InputNumber min={1} max={1000} precision={0} style={{ width: 160 }} />
                      </Form.Item>
                    </Form>
                  ),
                },
              ]}
            />
          </>
        )}
        {answer && (
          <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="issue-result">
            <Alert
              type={answer.refused.length ? 'warning' : 'success'}
              showIcon
              title={t('vouchers.issuedSummary', {
                issued: answer.issued.length,
                refused: answer.refused.length,
              })}
            />
            {answer.issued.length > 0 && (
              <List
                size="small"
                bordered
                header={<Typography.Text strong>{t('vouchers.issuedList')}</Typography.Text>}
                dataSource={answer.issued}
                data-testid="issued-list"
                renderItem={(v) => (
                  <List.Item>
                    <Space wrap size={8}>
                      <span>{v.nameMasked}</span>
                      <span style={{ fontVariantNumeric: 'tabular-nums' }}>{v.idMasked}</span>
                      <Typography.Text type="secondary">{v.voucherId}</Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            )}
            {answer.refused.length > 0 && (
              <List
                size="small"
                bordered
                header={<Typography.Text strong>{t('vouchers.refusedList')}</Typography.Text>}
                dataSource={answer.refused}
                data-testid="refused-list"
                renderItem={(r) => (
                  <List.Item>
                    <span>
                      <span style={{ fontVariantNumeric: 'tabular-nums' }}>{r.ref}</span>：
                      <Typography.Text type="danger">
                        {r.errors.map((e) => e.message).join('；')}
                      </Typography.Text>
                    </span>
                  </List.Item>
                )}
              />
            )}
          </Space>
        )}
      </div>
    </Modal>
  );
}
