// SkillFlow's search attributes, so the Temporal UI can filter cases too (the inbox reads the read model).
// The dev server on SQLite allows few custom attributes: these four are all we use.
import { temporal } from '@temporalio/proto';
import type { Connection } from '@temporalio/client';

export const SEARCH_ATTRIBUTES = {
  Stage: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  InstitutionId: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Overdue: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DueAt: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
} as const;

/** The `--search-attribute` flags for `temporal server start-dev`. */
export const DEV_SERVER_FLAGS = [
  'Stage=Keyword',
  'InstitutionId=Keyword',
  'Overdue=Bool',
  'DueAt=Datetime',
].flatMap((a) => ['--search-attribute', a]);

export async function registerSearchAttributes(connection: Connection, namespace = 'default'): Promise<void> {
  await connection.operatorService
    .addSearchAttributes({ namespace, searchAttributes: SEARCH_ATTRIBUTES })
    .catch((err: { code?: number }) => {
      if (err.code !== 6) throw err; // 6 = ALREADY_EXISTS
    });
}
