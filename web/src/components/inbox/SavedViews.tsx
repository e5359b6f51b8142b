// 待办视图: pick a view the team saved, save the current filters and sort as one, delete one. Views belong to
// the role (the team); the server keeps them, so a colleague's view is there on the next load.
import { DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Popconfirm, Select, Space, Tooltip } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { endpoints, type SavedView } from '../../api';
import { useApiError, validated } from '../../hooks';
import { useI18n } from '../../i18n';
import type { InboxQuery } from './useTaskPages';

export function SavedViews({
  query,
  selected,
  onApply,
}: {
  query: InboxQuery;
  /** the view whose query is applied now, if any */
  selected: string | undefined;
  onApply(view: SavedView | undefined): void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const [views, setViews] = useState<SavedView[]>([]);
  const [saving, setSaving] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ name: string }>();

  // Views are a convenience: a server that does not answer leaves the selector empty, the inbox works on.
  const load = useCallback(
    () =>
      endpoints.taskViews().then(
        (r) => setViews(r.items),
        () => setViews([]),
      ),
    [],
  );
  useEffect(() => void load(), [load]);

  const current = views.find((v) => v.id === selected);

  const save = async () => {
    const v = await validated(form);
    if (!v) return; // the form shows what is missing
    const { name } = v;
    setBusy(true);
    try {
      const view = await endpoints.saveTaskView(name.trim(), query);
      message.success(t('inbox.viewSaved'));
      setSaving(false);
      await load();
      onApply(view);
    } catch (e) {
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (view: SavedView) => {
    try {
      await endpoints.deleteTaskView(view.id);
      message.success(t('inbox.viewDeleted'));
      onApply(undefined);
      await load();
    } catch (e) {
      showError(e);
      await load();
    }
  };

  return (
    <Space wrap size={8}>
      <Select
        allowClear
        data-testid="view-select"
        aria-label={t('inbox.views')}
        placeholder={t('inbox.viewsPlaceholder')}
        style={{ minWidth: 200, maxWidth: '100%' }}
        value={current?.id}
        onChange={(id?: string) => onApply(views.find((v) => v.id === id))}
        options={views.map((v) => ({
          value: v.id,
          label: v.name,
          title: v.createdByName ? t('inbox.viewBy', { name: v.createdByName }) : v.name,
        }))}
      />
      {current && (
        <Popconfirm
          title={t('inbox.viewDeleteConfirm', { name: current.name })}
          okText={t('common.ok')}
          cancelText={t('common.cancel')}
          onConfirm={() => remove(current)}
        >
          <Tooltip title={t('inbox.viewDelete')}>
            <Button icon={<DeleteOutlined />} aria-label={t('inbox.viewDelete')} data-testid="view-delete" />
          </Tooltip>
        </Popconfirm>
      )}
      <Button icon={<SaveOutlined />} onClick={() => setSaving(true)} data-testid="view-save">
        {t('inbox.saveView')}
      </Button>
      <Modal
        open={saving}
        title={t('inbox.saveView')}
        okText={t('common.submit')}
        cancelText={t('common.cancel')}
        okButtonProps={{ loading: busy }}
        onOk={save}
        onCancel={() => setSaving(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item
            name="name"
            label={t('inbox.viewName')}
            rules={[{ required: true, whitespace: true, max: 40, message: t('common.required') }]}
          >
            <Input maxLength={40} showCount autoFocus data-testid="view-name" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
