// 考核结果: what an assessment body may record for a trainee (DOMAIN.md §5), with the names spreadsheets and
// screens use. A pass is any certificate; FAILED is no certificate.
export const ASSESSMENT_RESULTS = [
  'QUALIFICATION_CERT',
  'SKILL_LEVEL_CERT',
  'SPECIAL_ABILITY_CERT',
  'TRAINING_CERT',
  'FAILED',
] as const;
export type AssessmentResultCode = (typeof ASSESSMENT_RESULTS)[number];

export const ASSESSMENT_RESULT_NAMES: Record<AssessmentResultCode, { zh: string; en: string }> = {
  QUALIFICATION_CERT: { zh: '职业资格证书', en: 'Vocational qualification certificate' },
  SKILL_LEVEL_CERT: { zh: '职业技能等级证书', en: 'Skill-level certificate' },
  SPECIAL_ABILITY_CERT: { zh: '专项职业能力证书', en: 'Special-ability certificate' },
  TRAINING_CERT: { zh: '培训合格证书', en: 'Training certificate' },
  FAILED: { zh: '不合格', en: 'Failed' },
};

/** A result by its code or its Chinese or English name, as a spreadsheet writes it. */
export function resolveAssessmentResult(raw: string): AssessmentResultCode | undefined {
  const text = raw.normalize('NFKC').trim();
  const code = text.toUpperCase();
  if ((ASSESSMENT_RESULTS as readonly string[]).includes(code)) return code as AssessmentResultCode;
  return ASSESSMENT_RESULTS.find(
    (r) =>
      ASSESSMENT_RESULT_NAMES[r].zh === text ||
      ASSESSMENT_RESULT_NAMES[r].en.toLowerCase() === text.toLowerCase(),
  );
}
