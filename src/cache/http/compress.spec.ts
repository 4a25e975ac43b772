import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { compress, MIN_COMPRESSIBLE_BYTES } from './compress';

const json = Buffer.from(
  JSON.stringify({ items: Array.from({ length: 300 }, (_, i) => `repository-${i}`) }),
);

describe(compress.name, () => {
  it('should gzip a body that gunzip gives back, smaller', () => {
    const body = compress(json, 'gzip');

    expect(body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(gunzipSync(body)).toEqual(json);
    expect(body.byteLength).toBeLessThan(json.byteLength / 4);
  });

  it('should compress with Brotli a body that Brotli gives back, smaller than gzip', () => {
    const body = compress(json, 'br');

    expect(brotliDecompressSync(body)).toEqual(json);
    expect(body.byteLength).toBeLessThan(compress(json, 'gzip').byteLength);
  });

  it('should leave answers under 1 kB alone', () => {
    expect(MIN_COMPRESSIBLE_BYTES).toBe(1024);
  });
});
