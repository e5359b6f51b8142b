// 待办导出: the tasks an inbox search finds as a spreadsheet (xlsx) — what, which class, whose, due when, who is
// late (the overdue reason in words), who holds it. Names stay masked as in the list; text cells are
// spreadsheet-safe.
import type { z } from 'zod';
import { STAGE_NAMES } from '../domain/stages';
import { TASK_KIND_NAMES } from '../domain/tasks';
import { spreadsheetText } from '../domain/text';
import { deadlineText } from '../domain/dates';
import type { TaskItemSchema } from './responses';
import { writeSheet, type SheetColumn } from './sheets';

type Item = z.output<typeof TaskItemSchema>;

/** An instant as people read it in Asia/Shanghai, a midnight deadline as 24:00 of the day before. */
const local = (iso: string | null) => (iso ? deadlineText(iso) : '');

const COLUMNS: SheetColumn<Item>[] = [
  { header: '待办', en: 'Task', width: 16, cell: (t) => TASK_KIND_NAMES[t.kind]?.zh ?? t.kind },
  { header: '班级编号', en: 'Class id', width: 20, cell: (t) => t.classId },
  { header: '培训班', en: 'Title', width: 34, cell: (t) => spreadsheetText(t.classTitle ?? '') },
  {
    header: '培训机构',
    en: 'Institution',
    width: 30,
    cell: (t) => spreadsheetText(t.institutionName ?? t.institutionId),
  },
  { header: '区县', en: 'District', width: 12, cell: (t) => spreadsheetText(t.district) },
  {
    header: '阶段',
    en: 'Stage',
    width: 12,
    cell: (t) => STAGE_NAMES[t.stage as keyof typeof STAGE_NAMES]?.zh ?? t.stage,
  },
  { header: '期限', en: 'Due', width: 18, cell: (t) => local(t.dueAt) },
  {
    header: '逾期',
    en: 'Overdue',
    width: 8,
    cell: (t) => (t.escalated ? '已督办' : t.overdue ? '逾期' : ''),
  },
  {
    header: '逾期原因',
    en: 'Why overdue',
    width: 48,
    cell: (t) => spreadsheetText(t.overdueReason?.zh ?? ''),
  },
  {
    header: '经办人',
    en: 'Assignee',
    width: 14,
    cell: (t) => spreadsheetText(t.assigneeName ?? t.assignee ?? ''),
  },
  { header: '创建时间', en: 'Opened', width: 18, cell: (t) => local(t.createdAt) },
];

export function tasksSheet(items: readonly Item[]): Promise<Buffer> {
  return writeSheet('待办', COLUMNS, items);
}
