import { estimateHeapBytes, HEAP_BYTES } from './heap-size';

/** Heap really used by `make()` results, measured with a forced GC when the runtime allows it. */
describe(estimateHeapBytes.name, () => {
  it('should count a one-byte string as its header plus its characters, rounded to 8', () => {
    expect(estimateHeapBytes('')).toBe(16);
    expect(estimateHeapBytes('abcdefgh')).toBe(24);
    expect(estimateHeapBytes('abcdefghi')).toBe(32);
  });

  it('should count a two-byte string twice per character', () => {
    expect(estimateHeapBytes('日本')).toBe(24);
    expect(estimateHeapBytes('日本語のテキスト')).toBe(16 + 8 * 2);
  });

  it('should count small integers as free and other numbers as heap numbers', () => {
    expect(estimateHeapBytes(42)).toBe(0);
    expect(estimateHeapBytes(1.5)).toBe(16);
    expect(estimateHeapBytes(2 ** 40)).toBe(16);
  });

  it('should add up an object: header, a slot per property, and what the slots hold', () => {
    expect(estimateHeapBytes({})).toBe(24);
    expect(estimateHeapBytes({ a: 1, b: 'xy' })).toBe(24 + 8 + 0 + 8 + 24);
  });

  it('should add up an array: header, a slot per item, and the items', () => {
    expect(estimateHeapBytes([])).toBe(32);
    expect(estimateHeapBytes(['ab', 'cd'])).toBe(32 + 16 + 24 + 24);
  });

  it('should count a Buffer by its bytes plus its object, not walk it', () => {
    expect(estimateHeapBytes(Buffer.alloc(10_000))).toBe(10_000 + 96);
  });

  it('should ask a value that knows its own size instead of walking it', () => {
    const sized = { [HEAP_BYTES]: () => 1234, big: 'x'.repeat(100_000) };
    expect(estimateHeapBytes({ sized })).toBe(24 + 8 + 1234);
  });

  it('should stop at a cycle instead of recursing for ever', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(estimateHeapBytes(a)).toBeGreaterThan(0);
  });
});
