// The benchmark worker's workflows: the production ones plus the yardstick, which the production worker
// (workflows/index.ts) does not register.
export * from '../workflows';
export { baselineWorkflow } from './baselineWorkflow';
