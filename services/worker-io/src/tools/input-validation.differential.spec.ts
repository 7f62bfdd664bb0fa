import { compareWithClassValidator } from '@agentos/test-kit';
import { Tool } from '@agentos/worker-kit';
import { FsReadTool } from './fs/fs-read.tool';
import { FsWriteTool } from './fs/fs-write.tool';
import { HttpRequestTool } from './http/http-request.tool';

// The executor validates every task input with the compiled validator and asks
// class-validator only to explain a rejection: both must reach the same verdict on these DTOs.
const CASES: Array<[Tool, unknown[]]> = [
  [new FsReadTool({ root: '/nonexistent', maxReadBytes: 1_000 }), [{ path: 'data/a.csv' }, { path: 'a.bin', encoding: 'base64', maxBytes: 10 }]],
  [new FsWriteTool({ root: '/nonexistent', maxWriteBytes: 1_000 }), [{ path: 'out/a.md', content: '# hi' }, { path: 'b', content: 'aGk=', encoding: 'base64', mode: 'create' }]],
  [
    new HttpRequestTool({ maxTimeoutMs: 5_000, maxResponseBytes: 10_000 }),
    [
      { url: 'https://example.com/a' },
      { url: 'https://example.com/b', method: 'POST', headers: { 'x-trace': '1' }, json: { a: [1, 2] }, timeoutMs: 1_000, responseType: 'json' },
      { url: 'https://example.com/c', method: 'PUT', body: 'text', maxResponseBytes: 100 },
    ],
  ],
];

describe('io tool inputs: compiled validation agrees with class-validator', () => {
  it.each(CASES.map(([tool, samples]) => [tool.name, tool, samples] as const))('%s', (_name, tool, samples) => {
    const report = compareWithClassValidator(tool.input, samples, { rounds: 3_000, seed: 0x10, strict: true });
    expect(report.rejected).toBeGreaterThan(500);
    expect(report.rejected).toBeLessThan(3_000 - samples.length);
  });
});
