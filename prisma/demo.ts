// Who the demo installation knows: one user per role, shown by `npm start`.
export const DEMO_PASSWORD = 'SkillFlow#2026';
import { DEMO_INSTITUTIONS } from './reference';

export const DEMO_USERS = [
  {
    id: 'u-caseworker',
    username: 'caseworker',
    displayName: '王敏（经办人）',
    role: 'CASEWORKER',
    institutionId: null,
  },
  { id: 'u-finance', username: 'finance', displayName: '李强（财务）', role: 'FINANCE', institutionId: null },
  {
    id: 'u-manager',
    username: 'manager',
    displayName: '张伟（科室负责人）',
    role: 'MANAGER',
    institutionId: null,
  },
  { id: 'u-admin', username: 'admin', displayName: '系统管理员', role: 'ADMIN', institutionId: null },
  {
    id: 'u-inst1',
    username: 'inst1',
    displayName: '智联职业培训学校',
    role: 'INSTITUTION',
    institutionId: 'inst-sjz-01',
  },
  {
    id: 'u-inst2',
    username: 'inst2',
    displayName: '燕赵家政职业培训学校',
    role: 'INSTITUTION',
    institutionId: 'inst-sjz-02',
  },
  {
    id: 'u-inst3',
    username: 'inst3',
    displayName: '鼎鑫烹饪职业培训学校',
    role: 'INSTITUTION',
    institutionId: 'inst-sjz-03',
  },
  {
    id: 'u-inst4',
    username: 'inst4',
    displayName: '华厨职业技能培训学校',
    role: 'INSTITUTION',
    institutionId: 'inst-sjz-04',
  },
  {
    id: 'u-assessor',
    username: 'assessor',
    displayName: '市职业技能鉴定中心',
    role: 'ASSESSOR',
    institutionId: 'assess-sjz-01',
  },
] as const;

/**
 * The demo's compressed clock: classes started on this task queue run on a worker whose region is
 * DEMO_CLOCK_REGION, so they bind that region's policy (prisma/seed.ts DEMO_CLOCK_POLICY: a day lasts seconds).
 */
export const DEMO_CLOCK_QUEUE = 'skillflow-demo-clock';
export const DEMO_CLOCK_REGION = '演示加速';
export const DEMO_REFUSED_PAYEE = 'inst-sjz-04';
/** The account the demo clock's simulated bank does not know: DEMO_REFUSED_PAYEE's, as the reference data has it. */
export const DEMO_UNKNOWN_ACCOUNT = DEMO_INSTITUTIONS.find((i) => i.id === DEMO_REFUSED_PAYEE)!.bankAccount;
