import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPS_USAGE, runOps } from './run-ops';

describe('runOps', () => {
  let root: string;
  let out: string[];
  let err: string[];
  const output = { out: (text: string) => void out.push(text), err: (text: string) => void err.push(text) };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'agentos-ops-'));
    out = [];
    err = [];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('lists both commands in its usage', () => {
    expect(OPS_USAGE).toMatch(/^ *dlq-replay \[/m);
    expect(OPS_USAGE).toMatch(/^ *memory-inspect \[--json\] \[--plans N\]/m);
  });

  it.each([[[]], [['dlq-rewind']]])('prints the usage and exits 2 for %j', async (argv) => {
    expect(await runOps(argv, {}, output)).toBe(2);
    expect(err.join('\n')).toContain(OPS_USAGE);
    expect(out).toEqual([]);
  });

  it("runs memory-inspect, printing to the command's output", async () => {
    expect(await runOps(['memory-inspect'], { MEMORY_DATA_DIR: join(root, 'data') }, output)).toBe(0);
    expect(out).toEqual([expect.stringMatching(/^no memory yet: /)]);
    expect(err).toEqual([]);
  });

  it('prints what was wrong and the usage of the command for a wrong command line, exit code 2', async () => {
    expect(await runOps(['memory-inspect', '--plans', '-3'], { MEMORY_DATA_DIR: join(root, 'data') }, output)).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/--plans/);
    expect(err[0]).toContain('usage: memory-inspect [--json] [--plans N]');
    expect(out).toEqual([]);
  });
});
