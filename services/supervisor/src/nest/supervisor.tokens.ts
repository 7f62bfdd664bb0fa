export const GOAL_INTAKE = Symbol('GOAL_INTAKE');
export const RUN_DRIVER = Symbol('RUN_DRIVER');
export const RUN_REGISTRY = Symbol('RUN_REGISTRY');
export const TOOL_CATALOG = Symbol('TOOL_CATALOG');
export const SUPERVISOR_CONFIG = Symbol('SUPERVISOR_CONFIG');
export const CONTROL_HANDLER = Symbol('CONTROL_HANDLER');
export const RUN_VIEW = Symbol('RUN_VIEW');
export const SUPERVISOR_MEMORY = Symbol('SUPERVISOR_MEMORY');
