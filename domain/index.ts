/**
 * The pure domain layer: rules, money, dates, calendar, identity, catalogues, policy, eligibility, subsidy.
 * Safe to import from Temporal workflow code. `pii.ts` is deliberately not re-exported: it needs
 * node:crypto, which the workflow sandbox cannot load; import it directly from activities and the API.
 */
export * from './rules';
export * from './money';
export * from './dates';
export * from './calendar';
export * from './identity';
export * from './masking';
export * from './occupations';
export * from './categories';
export * from './policy';
export * from './eligibility';
export * from './subsidy';
