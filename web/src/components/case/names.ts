// Who and which organisation, by name, on the case page: the API names each timeline actor (actorName) and the
// class's institution and assessment body; ids remain only where no name is known.
import type { CaseView } from '../../api';
import type { MessageKey, Named } from '../../i18n';
import { ROLE_NAMES } from '../../names';

/** A user id (a reviewer, a verifier, an event's actor) → the name the timeline gives it. */
export function actorNamer(detail: CaseView, name: (n: Named | undefined, fallback?: string) => string) {
  const names = new Map<string, string>();
  for (const e of detail.timeline ?? []) if (e.actorName) names.set(e.actor, e.actorName);
  for (const e of detail.evidence ?? [])
    if (e.verifiedBy && e.verifiedByName) names.set(e.verifiedBy, e.verifiedByName);
  return (actor: string | null | undefined) => {
    if (!actor) return '—';
    if (actor === 'system') return name(ROLE_NAMES.SYSTEM);
    return names.get(actor) ?? actor;
  };
}

/** An organisation of the class (its institution, its assessment body) → its name. */
export function orgNamer(detail: CaseView) {
  const c = detail.class;
  const names = new Map<string, string>();
  if (c.institutionName) names.set(c.institutionId, c.institutionName);
  if (c.assessmentBodyName) names.set(c.assessmentBodyId, c.assessmentBodyName);
  return (id: string | null | undefined) => (id ? (names.get(id) ?? id) : '—');
}

/** A review decision (审核) by name: 通过, 退回补正, 不予通过; anything else as it is. */
export function decisionName(t: (key: MessageKey) => string, decision: string): string {
  const key = ({ APPROVE: 'case.approve', RETURN: 'case.return', REJECT: 'case.reject' } as const)[
    decision as 'APPROVE' | 'RETURN' | 'REJECT'
  ];
  return key ? t(key) : decision;
}
