import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '@agentos/runtime';
import { Tool } from '@agentos/worker-kit';
import { WorkerIoConfig } from './config/worker-io.config';
import { FsReadTool } from './tools/fs/fs-read.tool';
import { FsWriteTool } from './tools/fs/fs-write.tool';
import { HttpRequestTool } from './tools/http/http-request.tool';

/** The io worker's tools, built from validated configuration. */
export function createIoTools(config: WorkerIoConfig): Tool[] {
  const root = resolve(config.IO_FS_ROOT);
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ConfigError(`IO_FS_ROOT ${root} is not a directory: create it, or point IO_FS_ROOT at the folder fs.read and fs.write may use`);
  }
  return [
    new FsReadTool({ root, maxReadBytes: config.IO_FS_MAX_READ_BYTES }),
    new FsWriteTool({ root, maxWriteBytes: config.IO_FS_MAX_WRITE_BYTES }),
    new HttpRequestTool({
      allowPrivateNetworks: config.IO_HTTP_ALLOW_PRIVATE_NETWORKS,
      allowedHosts: config.IO_HTTP_ALLOWED_HOSTS,
      maxTimeoutMs: config.IO_HTTP_MAX_TIMEOUT_MS,
      maxResponseBytes: config.IO_HTTP_MAX_RESPONSE_BYTES,
      maxRedirects: config.IO_HTTP_MAX_REDIRECTS,
    }),
  ];
}
