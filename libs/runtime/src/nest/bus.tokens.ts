/** The process's MessageBus. */
export const MESSAGE_BUS = Symbol('MESSAGE_BUS');
/** The TopicRegistry every service of the process agrees on. */
export const TOPIC_REGISTRY = Symbol('TOPIC_REGISTRY');
