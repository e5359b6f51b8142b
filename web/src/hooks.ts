// Loading data and reporting API errors the same way on every page.
import { App, type FormInstance } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './api';
import { useI18n } from './i18n';

type FieldName = (string | number)[];

/** 'plan.courseTable.2.hours' → ['courseTable', 2, 'hours'] (the plan form's fields are the plan's own). */
export function fieldNameOf(path: string, dropPrefix?: string): FieldName {
  const segs = path.split(/[.[\]]+/).filter(Boolean);
  if (dropPrefix && segs[0] === dropPrefix) segs.shift();
  return segs.map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * Shows a problem+json error as an antd message and, given a form, puts each errors[].path message on its
 * field. Returns the problem so callers can react to a code.
 */
export function useApiError() {
  const { message } = App.useApp();
  const { t } = useI18n();
  return useCallback(
    (err: unknown, form?: FormInstance, dropPrefix?: string) => {
      if (!(err instanceof ApiError)) {
        message.error(err instanceof Error ? err.message : String(err));
        return undefined;
      }
      const p = err.problem;
      if (p.status === 0) {
        message.error(t('error.network'));
        return p;
      }
      if (form && p.errors?.length) {
        form.setFields(p.errors.map((e) => ({ name: fieldNameOf(e.path, dropPrefix), errors: [e.message] })));
      }
      const head = p.title ?? `HTTP ${p.status}`;
      const extra = p.detail ?? (!form ? p.errors?.map((e) => e.message).join('；') : undefined);
      message.error(extra && extra !== head ? `${head}：${extra}` : head);
      return p;
    },
    [message, t],
  );
}

export interface Loaded<T> {
  data: T | undefined;
  loading: boolean;
  error: unknown;
  reload(): void;
}

/** Runs `load` when deps change (and on reload); the latest call wins. Errors are shown once. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const [tick, setTick] = useState(0);
  const showError = useApiError();
  const seq = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    loadRef
      .current()
      .then((d) => {
        if (mine !== seq.current) return;
        setData(d);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (mine !== seq.current) return;
        setError(e);
        showError(e);
      })
      .finally(() => mine === seq.current && setLoading(false));
    // The caller's deps decide when to load again, as with useEffect.
  }, [...deps, tick]);

  return { data, loading, error, reload: useCallback(() => setTick((n) => n + 1), []) };
}
