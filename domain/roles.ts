// Who is who, by name: the roles of users and of the actors a timeline shows — one table for the web UI and the
// spreadsheets.
export const ROLE_NAMES: Record<string, { zh: string; en: string }> = {
  CASEWORKER: { zh: '经办人', en: 'Caseworker' },
  FINANCE: { zh: '财务', en: 'Finance' },
  MANAGER: { zh: '科室负责人', en: 'Manager' },
  ADMIN: { zh: '系统管理员', en: 'Administrator' },
  INSTITUTION: { zh: '培训机构', en: 'Training institution' },
  ASSESSOR: { zh: '评价机构', en: 'Assessment body' },
  PUBLIC: { zh: '公众', en: 'Public' },
  SYSTEM: { zh: '系统', en: 'System' },
};
