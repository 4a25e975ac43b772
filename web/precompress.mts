import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** Text formats Vite writes; images other than SVG, fonts and the like are compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.svg', '.json', '.map', '.txt']);

export interface PrecompressedFile {
  /** Relative to the directory. */
  file: string;
  bytes: number;
  br?: number;
  gz?: number;
}

/**
 * Writes `name.br` and `name.gz` beside every text file under `dir`, for @fastify/static's
 * `preCompressed` (src/web/web.module.ts), so the server never compresses a static file. At build
 * time the strongest settings cost nothing at run time: Brotli 11, gzip 9. A form that is not
 * smaller than the file is not written, and the file is then sent as it is.
 */
export function precompressDirectory(dir: string): PrecompressedFile[] {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && COMPRESSIBLE.has(extname(entry.name)))
    .map((entry) => join(entry.parentPath, entry.name));
  return files.map((path) => {
    const body = readFileSync(path);
    const result: PrecompressedFile = { file: path.slice(dir.length + 1), bytes: body.byteLength };
    const br = brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
      },
    });
    if (br.byteLength < body.byteLength) {
      writeFileSync(`${path}.br`, br);
      result.br = br.byteLength;
    }
    const gz = gzipSync(body, { level: constants.Z_BEST_COMPRESSION });
    if (gz.byteLength < body.byteLength) {
      writeFileSync(`${path}.gz`, gz);
      result.gz = gz.byteLength;
    }
    return result;
  });
}

/** `vite build` then precompresses its output, `public/` files included (copied by then). */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const files = precompressDirectory(outDir);
      const line = (f: PrecompressedFile): string =>
        `  ${f.file}: ${f.bytes} B, br ${f.br ?? '-'}, gz ${f.gz ?? '-'}`;
      this.info(`precompressed (.br, .gz):\n${files.map(line).join('\n')}`);
    },
  };
}
