// 就业材料: the institution reports a passed trainee's employment (social insurance, labour contract, business
// licence or flexible-employment registration) within the follow-up window; a caseworker then verifies it.
// The window is shown and the date picker offers only its days; a refusal by the server (OUTSIDE_WINDOW, e.g.
// after the window was recomputed) lands on the date field.
import { DatePicker, Form, Input, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { endpoints, type AttachmentKind, type EvidenceKind } from '../../api';
import { useI18n } from '../../i18n';
import { EVIDENCE_KIND_NAMES } from '../../names';
import { FormModal } from '../FormModal';
import { AttachmentsPanel } from './AttachmentsPanel';
import { firstDayOf, FollowUpWindowCard, withinWindow, type FollowUpWindow } from './FollowUpWindow';

/** What an institution attaches to employment evidence: the evidence kinds, and anything else as OTHER. */
const EVIDENCE_ATTACHMENT_KINDS: AttachmentKind[] = [
  'LABOUR_CONTRACT',
  'SOCIAL_INSURANCE',
  'BUSINESS_LICENCE',
  'FLEXIBLE_EMPLOYMENT',
  'OTHER',
];

interface Values {
  kind: EvidenceKind;
  employedOn: Dayjs;
  employer?: string;
}

export function SubmitEvidenceModal({
  classId,
  target,
  onClose,
  onRefused,
}: {
  classId: string;
  target: { enrollmentId: string; trainee: string; window?: FollowUpWindow | null } | null;
  onClose(done: boolean): void;
  /** the server judged against another window than the one shown (recomputed, closed): reload the page */
  onRefused?(): void;
}) {
  const { t, name } = useI18n();
  const [form] = Form.useForm<Values>();
  const w = target?.window ?? null;
  const dayOf = (d: Dayjs) => d.format('YYYY-MM-DD');
  const today = dayjs().format('YYYY-MM-DD');

  return (
    <FormModal
      open={target !== null}
      title={`${t('evidence.submitTitle')} · ${target?.trainee ?? ''}`}
      form={form}
      width={720}
      onSubmit={(v) =>
        endpoints.submitEvidence(classId, {
          enrollmentId: target!.enrollmentId,
          kind: v.kind,
          employedOn: v.employedOn.format('YYYY-MM-DD'),
          employer: v.employer?.trim() || undefined,
        })
      }
      onRefused={(problem) => {
        if (problem?.code === 'OUTSIDE_WINDOW' || problem?.code === 'WINDOW_CLOSED') onRefused?.();
      }}
      onClose={onClose}
    >
      {w && <FollowUpWindowCard window={w} />}
      <Form form={form} layout="vertical" preserve={false} initialValues={{ kind: 'LABOUR_CONTRACT' }}>
        <Form.Item name="kind" label={t('evidence.kind')} rules={[{ required: true }]}>
          <Select
            options={Object.entries(EVIDENCE_KIND_NAMES).map(([value, n]) => ({
              value,
              label: name(n, value),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="employedOn"
          label={t('evidence.employedOn')}
          extra={w ? t('window.hint') : undefined}
          rules={[
            { required: true, message: t('common.required') },
            {
              validator: async (_, v?: Dayjs) => {
                if (v && w && !withinWindow(dayOf(v), w))
                  throw new Error(t('window.outside', { trainingEnd: w.trainingEnd, endsOn: w.endsOn }));
              },
            },
          ]}
        >
          <DatePicker
            style={{ width: '100%' }}
            data-testid="employed-on"
            disabledDate={w ? (d: Dayjs) => !withinWindow(dayOf(d), w) : undefined}
            defaultPickerValue={w ? dayjs(withinWindow(today, w) ? today : firstDayOf(w)) : undefined}
          />
        </Form.Item>
        <Form.Item name="employer" label={t('evidence.employer')}>
          <Input maxLength={200} data-testid="employer" />
        </Form.Item>
      </Form>
      {target && (
        <>
          <Typography.Title level={5}>{t('attachments.ofTrainee')}</Typography.Title>
          <AttachmentsPanel
            classId={classId}
            enrollmentId={target.enrollmentId}
            canUpload
            kinds={EVIDENCE_ATTACHMENT_KINDS}
            defaultKind="LABOUR_CONTRACT"
          />
        </>
      )}
    </FormModal>
  );
}
