export * from './memory-records';
export * from './embedding';
export * from './search';
export * from './store';
export * from './plans/plan-shape';
export * from './learning';
export * from './plans/goal-template';
export * from './plans/shape-health';
