// Who may call the API, by role: staff of the bureau, and the organisations' own users. Pure, so the
// response schemas (api/responses.ts) and the web client's types can name the roles too.
export const USER_ROLES = ['CASEWORKER', 'FINANCE', 'MANAGER', 'ADMIN', 'INSTITUTION', 'ASSESSOR'] as const;
export type UserRole = (typeof USER_ROLES)[number];
export const STAFF_ROLES = [
  'CASEWORKER',
  'FINANCE',
  'MANAGER',
  'ADMIN',
] as const satisfies readonly UserRole[];
export const ORGANISATION_ROLES = ['INSTITUTION', 'ASSESSOR'] as const satisfies readonly UserRole[];
