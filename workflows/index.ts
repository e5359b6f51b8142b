// Every workflow the worker registers.
export { trainingClassWorkflow } from './trainingClass';
export { traineeFollowUpWorkflow } from './followUp';
export { voucherProgrammeWorkflow } from './vouchers';
