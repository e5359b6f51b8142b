// Time inside a workflow. The Temporal sandbox replaces Date with a deterministic clock that reads the
// time of the current workflow task, so this is replay-safe; it is the one place workflow code reads it.
export function workflowNowMs(): number {
  return new Date().getTime();
}

export function workflowNowIso(): string {
  return new Date(workflowNowMs()).toISOString();
}

export function msUntil(instantIso: string): number {
  return Date.parse(instantIso) - workflowNowMs();
}
