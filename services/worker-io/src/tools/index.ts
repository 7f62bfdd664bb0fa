export { FsReadTool } from './fs/fs-read.tool';
export type { FsReadToolOptions } from './fs/fs-read.tool';
export { FsWriteTool } from './fs/fs-write.tool';
export type { FsWriteToolOptions } from './fs/fs-write.tool';
export { HttpRequestTool } from './http/http-request.tool';
export type { HttpRequestToolOptions } from './http/http-request.tool';
export type { Resolver } from './http/guarded-lookup';
export { systemResolver } from './http/guarded-lookup';
