export const TASK_EXECUTOR = Symbol('TASK_EXECUTOR');
export const WORKER_SETTINGS = Symbol('WORKER_SETTINGS');
