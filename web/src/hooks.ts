// Loading data and reporting API errors the same way on every page.
import { App, type FormInstance } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type Page } from './api';
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

/**
 * The form's values, or undefined when a field is invalid: the form already shows what is missing, and a
 * rejected validateFields() left to a modal's onOk is an uncaught error in the page.
 */
export async function validated<T>(form: FormInstance<T>): Promise<T | undefined> {
  try {
    return await form.validateFields();
  } catch {
    return undefined;
  }
}

export interface Loaded<T> {
  data: T | undefined;
  loading: boolean;
  error: unknown;
  reload(): void;
}

/** Runs `load` when deps change (and on reload); the latest call wins, and nothing lands after unmount. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const [tick, setTick] = useState(0);
  const showError = useApiError();
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let live = true;
    setLoading(true);
    loadRef
      .current()
      .then((d) => {
        if (!live) return;
        setData(d);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (!live) return;
        setError(e);
        showError(e);
      })
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
    // The caller's deps decide when to load again, as with useEffect.
  }, [...deps, tick]);

  return { data, loading, error, reload: useCallback(() => setTick((n) => n + 1), []) };
}

export interface CursorList<T> {
  items: T[];
  loading: boolean;
  /** there is a next page */
  hasMore: boolean;
  reload(): void;
  more(): void;
}

/** A list read page by page with the API's opaque cursor ("load more"), reloaded when deps change. */
export function useCursorList<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  deps: unknown[],
): CursorList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const showError = useApiError();
  const seq = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const load = useCallback(
    async (after: string | null) => {
      const mine = ++seq.current;
      setLoading(true);
      try {
        const page = await fetchRef.current(after ?? undefined);
        if (mine !== seq.current) return;
        setItems((prev) => (after ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (e) {
        if (mine === seq.current) showError(e);
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    },
    [showError],
  );

  useEffect(() => {
    void load(null);
  }, [...deps, load]);
  // An answer that arrives after the page is gone is dropped.
  useEffect(
    () => () => {
      seq.current++;
    },
    [],
  );

  return {
    items,
    loading,
    hasMore: cursor !== null,
    reload: useCallback(() => void load(null), [load]),
    more: useCallback(() => {
      if (cursor) void load(cursor);
    }, [load, cursor]),
  };
}

/**
 * Reloads now and a few more times over the next seconds: a workflow Update answers once it is accepted, and
 * the workflow (and the read model after it) moves to the next stage a moment later.
 */
export function useReloadUntilSettled(reload: () => void): () => void {
  const timers = useRef<number[]>([]);
  useEffect(() => () => timers.current.forEach((t) => window.clearTimeout(t)), []);
  return useCallback(() => {
    timers.current.forEach((t) => window.clearTimeout(t));
    reload();
    timers.current = [600, 1500, 3000, 6000, 12_000].map((ms) => window.setTimeout(reload, ms));
  }, [reload]);
}
