import { useI18n } from '../i18n';
import { TextEntryModal } from './TextEntryModal';

/** A modal that asks for a reason (退回 / 不予通过 / 撤销) and submits it; API field errors land on the field. */
export function ReasonModal({
  open,
  title,
  danger,
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: string;
  danger?: boolean;
  onSubmit(reason: string): Promise<unknown>;
  onClose(done: boolean): void;
}) {
  const { t } = useI18n();
  return (
    <TextEntryModal
      open={open}
      title={title}
      label={t('common.reason')}
      required
      danger={danger}
      onSubmit={(text) => onSubmit(text ?? '')}
      onClose={onClose}
    />
  );
}
