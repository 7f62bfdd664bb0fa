import { ManifestError } from '../manifest/manifest-error';
import { applyJsonPatch, parseJsonPatch } from './json-patch';

describe('applyJsonPatch', () => {
  const document = { spec: { replicas: 1, containers: [{ name: 'a' }, { name: 'b' }], 'a/b': { '~x': 1 } } };

  it('adds, replaces and removes members, leaving the input untouched', () => {
    const patched = applyJsonPatch(document, [
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/spec/paused', value: false },
      { op: 'remove', path: '/spec/a~1b/~0x' },
    ]);
    expect(patched.spec).toEqual({ replicas: 3, paused: false, containers: [{ name: 'a' }, { name: 'b' }], 'a/b': {} });
    expect(document.spec.replicas).toBe(1);
    expect(document.spec['a/b']).toEqual({ '~x': 1 });
  });

  it('appends with "-", inserts at an index and removes by index', () => {
    const patched = applyJsonPatch(document, [
      { op: 'add', path: '/spec/containers/-', value: { name: 'c' } },
      { op: 'add', path: '/spec/containers/0', value: { name: 'first' } },
      { op: 'remove', path: '/spec/containers/1' },
    ]);
    expect(patched.spec.containers.map((container) => container.name)).toEqual(['first', 'b', 'c']);
  });

  it('passes a matching test and fails the whole patch on a mismatch', () => {
    expect(() => applyJsonPatch(document, [{ op: 'test', path: '/spec/containers/1/name', value: 'b' }])).not.toThrow();
    expect(() => applyJsonPatch(document, [{ op: 'test', path: '/spec/containers/1/name', value: 'a' }])).toThrow(/found "b", expected "a"/);
    expect(() => applyJsonPatch(document, [{ op: 'test', path: '/spec/containers/0', value: { name: 'a' } }])).not.toThrow();
    expect(() => applyJsonPatch(document, [{ op: 'test', path: '/spec/containers', value: [{ name: 'b' }, { name: 'a' }] }])).toThrow(ManifestError);
  });

  it('refuses to replace or remove what does not exist, and paths through nothing', () => {
    expect(() => applyJsonPatch(document, [{ op: 'replace', path: '/spec/missing', value: 1 }])).toThrow(ManifestError);
    expect(() => applyJsonPatch(document, [{ op: 'remove', path: '/spec/containers/5' }])).toThrow(/out of bounds/);
    expect(() => applyJsonPatch(document, [{ op: 'add', path: '/nothing/here', value: 1 }])).toThrow(/no member "nothing"/);
    expect(() => applyJsonPatch(document, [{ op: 'add', path: '/spec/containers/x', value: 1 }])).toThrow(/not an array index/);
  });
});

describe('parseJsonPatch', () => {
  it('accepts a list of operations', () => {
    expect(parseJsonPatch([{ op: 'remove', path: '/a' }], 'p.yaml')).toEqual([{ op: 'remove', path: '/a' }]);
  });

  it('refuses strategic merge patches, unknown operations and operations without a value', () => {
    expect(() => parseJsonPatch({ spec: { replicas: 2 } }, 'p.yaml')).toThrow(/only JSON 6902 patches/);
    expect(() => parseJsonPatch([{ op: 'move', from: '/a', path: '/b' }], 'p.yaml')).toThrow(/operation 0/);
    expect(() => parseJsonPatch([{ op: 'add', path: '/b' }], 'p.yaml')).toThrow(/has no value/);
  });
});
