export * from './sim-world';
export * from './sim-tool';
export * from './sim-worker-service';
export * from './sim-goals';
export * from './sim-planner-server';
export * from './data-blocks';
export * from './sim-runtime';
