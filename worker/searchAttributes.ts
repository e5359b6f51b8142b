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

/**
 * Server settings SkillFlow relies on, for every server it starts (the dev server here, the cluster's dynamic
 * configuration in scripts/cluster.ts). Eager activity dispatch: the activity a workflow task schedules on its
 * own task queue (the read-model write after a decision, above all) comes back to the worker in the answer to
 * that workflow task instead of through the task queue — one round trip less between a caseworker's click and
 * the inbox showing it (bench/click.ts). The activity is still scheduled in the history first, so it is as
 * durable as before; a worker that dies holding one is covered by its start-to-close timeout, as for any
 * started activity.
 */
export const DYNAMIC_CONFIG = { 'system.enableActivityEagerExecution': true } as const;

/** The `--search-attribute` flags for `temporal server start-dev`, and the dynamic configuration SkillFlow runs with. */
export const DEV_SERVER_FLAGS = [
  ...['Stage=Keyword', 'InstitutionId=Keyword', 'Overdue=Bool', 'DueAt=Datetime'].flatMap((a) => [
    '--search-attribute',
    a,
  ]),
  ...Object.entries(DYNAMIC_CONFIG).flatMap(([k, v]) => [
    '--dynamic-config-value',
    `${k}=${JSON.stringify(v)}`,
  ]),
];

export async function registerSearchAttributes(connection: Connection, namespace = 'default'): Promise<void> {
  await connection.operatorService
    .addSearchAttributes({ namespace, searchAttributes: SEARCH_ATTRIBUTES })
    .catch((err: { code?: number }) => {
      if (err.code !== 6) throw err; // 6 = ALREADY_EXISTS
    });
}
