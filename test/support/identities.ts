import { DEMO_IDS } from '../../src/emulator';

/** The people and lab hosts of the bot-level tests (RBAC in the demo seed gives ADMIN and TEACHER their roles). */
export const ADMIN = '00000000-0000-0000-0000-00000000ad01';
export const TEACHER = '00000000-0000-0000-0000-000000007e01';
export const MEMBER = '00000000-0000-0000-0000-000000003e01';
export const PLAN_ID = DEMO_IDS.labPlanId;
export const ACCOUNT_ID = DEMO_IDS.labAccountId;
