export { trainingClassWorkflow } from './workflow';
