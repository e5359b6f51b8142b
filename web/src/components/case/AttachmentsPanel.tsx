// 附件: a case's documents (or one trainee's) — name, kind, trainee, size, who uploaded them and when, the
// SHA-256 the bureau keeps — each downloadable; and, for whoever may add one (the class's institution while the
// case is open, a caseworker), an upload of a PDF, PNG or JPEG of a chosen kind. The server reads the type from
// the file itself and refuses anything else; its refusal is shown like any other.
import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Select, Space, Table, Tooltip, Typography, Upload } from 'antd';
import { useState } from 'react';
import { endpoints, saveFile, type Attachment, type AttachmentKind } from '../../api';
import { dateTime } from '../../format';
import { useApiError, useLoad } from '../../hooks';
import { useI18n } from '../../i18n';
import { ATTACHMENT_KIND_NAMES } from '../../names';
import { MAX_ATTACHMENT_BYTES } from '../../../../domain/attachments';

const ACCEPT = '.pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg';

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function AttachmentsPanel({
  classId,
  enrollmentId,
  canUpload,
  kinds,
  defaultKind = 'OTHER',
  traineeNames,
}: {
  classId: string;
  /** one trainee's documents only; an upload is then about that trainee */
  enrollmentId?: string;
  canUpload: boolean;
  /** the kinds offered for an upload (default: all) */
  kinds?: readonly AttachmentKind[];
  defaultKind?: AttachmentKind;
  /** enrollment id → the trainee's name as the page shows it (masked unless revealed) */
  traineeNames?: Map<string, string>;
}) {
  const { t, name } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const [kind, setKind] = useState<AttachmentKind>(defaultKind);
  const [busy, setBusy] = useState(false);
  const { data, loading, reload } = useLoad(
    () => endpoints.attachments(classId, enrollmentId),
    [classId, enrollmentId],
  );
  const offered = kinds ?? (Object.keys(ATTACHMENT_KIND_NAMES) as AttachmentKind[]);

  const upload = async (file: File) => {
    if (file.size > MAX_ATTACHMENT_BYTES) {
      message.error(t('attachments.tooLarge', { mb: MAX_ATTACHMENT_BYTES / 1024 / 1024 }));
      return;
    }
    setBusy(true);
    try {
      const kept = await endpoints.uploadAttachment(classId, file, kind, enrollmentId);
      message.success(t('attachments.uploaded', { name: kept.fileName }));
      reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };
  const download = async (a: Attachment) => {
    try {
      saveFile(await endpoints.attachmentFile(classId, a.id), a.fileName);
    } catch (err) {
      showError(err);
    }
  };

  return (
    <div className="sf-block" data-testid="attachments">
      {canUpload && (
        <Space wrap className="sf-block">
          <Select
            aria-label={t('attachments.kind')}
            value={kind}
            onChange={setKind}
            style={{ minWidth: 180 }}
            options={offered.map((k) => ({ value: k, label: name(ATTACHMENT_KIND_NAMES[k]) }))}
            data-testid="attachment-kind"
          />
          <Upload
            accept={ACCEPT}
            showUploadList={false}
            beforeUpload={(file) => {
              void upload(file);
              return false; // sent by upload() above, not by the component
            }}
          >
            <Button icon={<UploadOutlined />} loading={busy} data-testid="attachment-upload">
              {t('attachments.upload')}
            </Button>
          </Upload>
          <Typography.Text type="secondary">
            {t('attachments.hint', { mb: MAX_ATTACHMENT_BYTES / 1024 / 1024 })}
          </Typography.Text>
        </Space>
      )}
      <Table<Attachment>
        size="small"
        rowKey="id"
        loading={loading}
        pagination={false}
        dataSource={data?.items ?? []}
        locale={{ emptyText: loading ? ' ' : t('attachments.none') }}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('attachments.file'),
            dataIndex: 'fileName',
            render: (_: string, a) => (
              <Button
                type="link"
                size="small"
                icon={<PaperClipOutlined />}
                onClick={() => download(a)}
                data-testid="attachment-download"
              >
                {a.fileName}
              </Button>
            ),
          },
          {
            title: t('attachments.kind'),
            dataIndex: 'kind',
            render: (k: AttachmentKind) => name(ATTACHMENT_KIND_NAMES[k], k),
          },
          ...(enrollmentId
            ? []
            : [
                {
                  title: t('evidence.trainee'),
                  dataIndex: 'enrollmentId',
                  render: (e: string | null) => (e ? (traineeNames?.get(e) ?? e) : '—'),
                },
              ]),
          { title: t('attachments.size'), dataIndex: 'size', render: (n: number) => fileSize(n) },
          {
            title: t('attachments.uploadedBy'),
            dataIndex: 'uploadedBy',
            render: (u: string, a) => a.uploadedByName ?? u,
          },
          { title: t('attachments.at'), dataIndex: 'createdAt', render: (v: string) => dateTime(v) },
          {
            title: 'SHA-256',
            dataIndex: 'sha256',
            render: (h: string) => (
              <Tooltip title={h}>
                <Typography.Text code copyable={{ text: h }}>
                  {h.slice(0, 12)}
                </Typography.Text>
              </Tooltip>
            ),
          },
        ]}
      />
    </div>
  );
}
