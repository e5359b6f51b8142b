// 就业核验: a caseworker accepts or rejects a trainee's employment evidence, seeing what was submitted and the
// trainee's follow-up window. Evidence dated outside the window can only be rejected (the server refuses to
// verify it); a refusal by the server is shown on the verdict, not in a passing message.
import { Alert, Descriptions, Form, Input, Radio, Typography } from 'antd';
import { endpoints, type EvidenceRow } from '../../api';
import { useI18n } from '../../i18n';
import { EVIDENCE_KIND_NAMES } from '../../names';
import { FormModal } from '../FormModal';
import { AttachmentsPanel } from './AttachmentsPanel';
import { FollowUpWindowCard, withinWindow, type FollowUpWindow } from './FollowUpWindow';

interface Values {
  verdict: 'VERIFIED' | 'REJECTED';
  note?: string;
}

export interface EvidenceToVerify {
  evidenceId: string;
  enrollmentId: string;
  /** the trainee's name as the page shows it (masked unless revealed) */
  trainee?: string;
  evidence?: EvidenceRow;
  window?: FollowUpWindow | null;
}

export function VerifyEvidenceModal({
  classId,
  target,
  onClose,
}: {
  classId: string;
  target: EvidenceToVerify | null;
  onClose(done: boolean): void;
}) {
  const { t, name } = useI18n();
  const [form] = Form.useForm<Values>();
  const ev = target?.evidence;
  const w = target?.window ?? null;
  const outside = ev !== undefined && w !== null && !withinWindow(ev.employedOn, w);

  return (
    <FormModal
      open={target !== null}
      title={t('evidence.verifyTitle')}
      form={form}
      width={720}
      onSubmit={(v) =>
        endpoints.verifyEvidence(classId, target!.enrollmentId, target!.evidenceId, {
          verdict: v.verdict,
          note: v.note?.trim() || undefined,
        })
      }
      onRefused={(problem) => {
        // The rule names the evidence (e.g. OUTSIDE_WINDOW): the verdict is what the caseworker must change.
        const refusal = problem?.errors?.find((x) => x.path === 'evidenceId');
        if (refusal) form.setFields([{ name: 'verdict', errors: [refusal.message] }]);
      }}
      onClose={onClose}
    >
      {ev && (
        <Descriptions
          size="small"
          bordered
          column={1}
          className="sf-block"
          data-testid="evidence-under-review"
          title={t('evidence.submitted')}
          items={[
            ...(target?.trainee
              ? [{ key: 'trainee', label: t('evidence.trainee'), children: target.trainee }]
              : []),
            { key: 'kind', label: t('evidence.kind'), children: name(EVIDENCE_KIND_NAMES[ev.kind], ev.kind) },
            { key: 'on', label: t('evidence.employedOn'), children: ev.employedOn },
            ...(ev.employer
              ? [{ key: 'employer', label: t('evidence.employer'), children: ev.employer }]
              : []),
          ]}
        />
      )}
      {target && (
        <>
          <Typography.Title level={5}>{t('attachments.ofTrainee')}</Typography.Title>
          <AttachmentsPanel classId={classId} enrollmentId={target.enrollmentId} canUpload={false} />
        </>
      )}
      {w && <FollowUpWindowCard window={w} />}
      {outside && ev && (
        <Alert
          className="sf-block"
          type="error"
          showIcon
          data-testid="evidence-outside-window"
          title={t('evidence.cannotVerify', { date: ev.employedOn })}
        />
      )}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ verdict: outside ? 'REJECTED' : 'VERIFIED' }}
      >
        <Form.Item name="verdict" label={t('evidence.verdict')} rules={[{ required: true }]}>
          <Radio.Group
            options={[
              { value: 'VERIFIED', label: t('evidence.verified'), disabled: outside },
              { value: 'REJECTED', label: t('evidence.rejected') },
            ]}
          />
        </Form.Item>
        <Form.Item name="note" label={t('evidence.note')}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
