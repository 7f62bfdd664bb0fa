export * from './memory-records';
export * from './embedding';
export * from './search';
export * from './store';
export * from './plans/plan-shape';
