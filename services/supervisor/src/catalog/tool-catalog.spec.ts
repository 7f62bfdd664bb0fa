import { BUNDLED_CATALOG, StaticToolCatalog } from './tool-catalog';

describe('StaticToolCatalog', () => {
  it('lists worker types and their tools, sorted', () => {
    const catalog = new StaticToolCatalog({ logic: ['math.evaluate', 'csv.parse'], io: ['noop', 'fs.read'] });
    expect(catalog.workerTypes()).toEqual(['io', 'logic']);
    expect(catalog.tools('io')).toEqual(['fs.read', 'noop']);
    expect(catalog.tools('logic')).toEqual(['csv.parse', 'math.evaluate']);
  });

  it('answers undefined for a worker type nobody offers, and [] for one that offers nothing', () => {
    const catalog = new StaticToolCatalog({ idle: [] });
    expect(catalog.tools('gpu')).toBeUndefined();
    expect(catalog.tools('idle')).toEqual([]);
  });

  it('is not changed by later changes to the entries it was built from', () => {
    const io = ['noop'];
    const entries: Record<string, string[]> = { io };
    const catalog = new StaticToolCatalog(entries);
    io.push('fs.delete');
    entries.gpu = ['train'];
    expect(catalog.tools('io')).toEqual(['noop']);
    expect(catalog.workerTypes()).toEqual(['io']);
  });

  it('holds the bundled worker types, each offering noop', () => {
    const catalog = new StaticToolCatalog(BUNDLED_CATALOG);
    expect(catalog.workerTypes()).toEqual(['io', 'logic']);
    for (const workerType of catalog.workerTypes()) expect(catalog.tools(workerType)).toContain('noop');
    expect(catalog.tools('io')).toEqual(expect.arrayContaining(['fs.read', 'fs.write', 'http.request']));
    expect(catalog.tools('logic')).toEqual(expect.arrayContaining(['jsonata', 'csv.parse', 'text.template', 'math.evaluate']));
  });
});
