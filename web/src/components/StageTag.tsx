import { Tag } from 'antd';
import type { Stage } from '../api';
import { useI18n } from '../i18n';
import { STAGE_COLORS, STAGE_NAMES } from '../names';

export function StageTag({ stage }: { stage: Stage | string }) {
  const { name } = useI18n();
  const known = stage in STAGE_NAMES;
  return (
    <Tag color={known ? STAGE_COLORS[stage as Stage] : 'default'}>
      {name(known ? STAGE_NAMES[stage as Stage] : undefined, stage)}
    </Tag>
  );
}
