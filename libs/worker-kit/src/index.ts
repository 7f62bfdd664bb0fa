export * from './tools/tool';
export * from './tools/tool-error';
