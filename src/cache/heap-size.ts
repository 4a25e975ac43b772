/**
 * An estimate of the V8 heap bytes a value holds, for byte-bounded caches. It errs on the high
 * side (a string shared by many objects is counted each time), so a cache sized with it stays
 * within its budget; `npm run bench` compares it with the heap really used.
 *
 * Sizes follow V8 on 64-bit without pointer compression (Node's build): a pointer or small
 * integer field is 8 bytes, an object header 24, a one-byte string 16 plus its characters,
 * everything rounded up to 8.
 */
export function estimateHeapBytes(value: unknown): number {
  return sizeOf(value, 0);
}

/**
 * A value that knows its size better than a walk would (one that references the same objects
 * twice, say) implements this method; the walk then asks it instead of descending.
 */
export const HEAP_BYTES = Symbol('heapBytes');

export interface SizedValue {
  [HEAP_BYTES](): number;
}

const FIELD = 8;
const OBJECT_HEADER = 24;
const ARRAY_HEADER = 32;
const STRING_HEADER = 16;
const BUFFER_OVERHEAD = 96;
/** Deeper than any value we cache: a cycle or a hostile structure stops here instead of recursing. */
const MAX_DEPTH = 32;

function sizeOf(value: unknown, depth: number): number {
  switch (typeof value) {
    case 'string':
      return roundUp(STRING_HEADER + value.length * (isOneByte(value) ? 1 : 2));
    case 'number':
      // A double that is not a small integer lives in its own 16-byte HeapNumber.
      return Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? 0 : 16;
    case 'object':
      return value === null ? 0 : objectSize(value, depth);
    default:
      return 0;
  }
}

function objectSize(value: object, depth: number): number {
  if (depth >= MAX_DEPTH) {
    return OBJECT_HEADER;
  }
  if (HEAP_BYTES in value) {
    return (value as SizedValue)[HEAP_BYTES]();
  }
  if (Buffer.isBuffer(value)) {
    return value.byteLength + BUFFER_OVERHEAD;
  }
  if (Array.isArray(value)) {
    let bytes = ARRAY_HEADER + FIELD * value.length;
    for (const item of value) {
      bytes += sizeOf(item, depth + 1);
    }
    return bytes;
  }
  let bytes = OBJECT_HEADER;
  for (const key of Object.keys(value)) {
    bytes += FIELD + sizeOf((value as Record<string, unknown>)[key], depth + 1);
  }
  return bytes;
}

function isOneByte(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[^\u0000-\u00ff]/.test(text);
}

function roundUp(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}
