import { createWriteStream } from "node:fs";
import { mkdir, open, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { inflateRawSync } from "node:zlib";
import { ZipFile } from "yazl";

/**
 * Writing the artifact zip (yazl) and reading one back: entry sizes for the breakdown, and
 * unpacking for the test that runs the artifact as Lambda would. The reader handles what the
 * writer produces (stored or deflated entries, no ZIP64), not every zip in the world.
 */

/** One file to put in the zip: from disk or from memory. */
export type ZipSource = { entry: string; file: string } | { entry: string; buffer: Buffer };

/** A fixed timestamp: the same inputs give the same zip, so an unchanged artifact is not redeployed. */
const FIXED_MTIME = new Date("2020-01-01T00:00:00Z");
/** Lambda needs files readable by its runtime user. */
const FILE_MODE = 0o100644;

export interface ZipOptions {
  /** zlib level. @default 6 */
  compressionLevel?: number;
}

/** Write the entries, sorted by name, to `path`. */
export async function writeZip(
  path: string,
  sources: readonly ZipSource[],
  options: ZipOptions = {},
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const zip = new ZipFile();
  const fileOptions = {
    mtime: FIXED_MTIME,
    mode: FILE_MODE,
    compressionLevel: options.compressionLevel ?? 6,
  };
  for (const source of [...sources].sort((a, b) => a.entry.localeCompare(b.entry))) {
    if ("file" in source) zip.addFile(source.file, source.entry, fileOptions);
    else zip.addBuffer(source.buffer, source.entry, fileOptions);
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
}

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/** The entries of a zip, from its central directory. */
export async function readZipEntries(path: string): Promise<ZipEntry[]> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new RangeError(`${path}: not a zip file (no end of central directory)`);
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    const cd = Buffer.alloc(cdSize);
    await handle.read(cd, 0, cdSize, cdOffset);
    const entries: ZipEntry[] = [];
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (cd.readUInt32LE(at) !== CENTRAL_SIGNATURE)
        throw new RangeError(`${path}: corrupt central directory`);
      const nameLength = cd.readUInt16LE(at + 28);
      const extraLength = cd.readUInt16LE(at + 30);
      const commentLength = cd.readUInt16LE(at + 32);
      entries.push({
        method: cd.readUInt16LE(at + 10),
        compressedSize: cd.readUInt32LE(at + 20),
        size: cd.readUInt32LE(at + 24),
        localHeaderOffset: cd.readUInt32LE(at + 42),
        name: cd.toString("utf8", at + 46, at + 46 + nameLength),
      });
      at += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    await handle.close();
  }
}

/** Unpack every file entry of the zip under `dir` (refusing entries that would escape it). */
export async function extractZip(path: string, dir: string): Promise<void> {
  const zip = await readFile(path);
  const root = resolve(dir);
  for (const entry of await readZipEntries(path)) {
    if (entry.name.endsWith("/")) continue;
    const target = resolve(root, entry.name);
    if (!target.startsWith(root + sep))
      throw new RangeError(`${path}: entry '${entry.name}' escapes the target`);
    const at = entry.localHeaderOffset;
    if (zip.readUInt32LE(at) !== LOCAL_SIGNATURE)
      throw new RangeError(`${path}: corrupt entry '${entry.name}'`);
    const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
    const data = zip.subarray(start, start + entry.compressedSize);
    const bytes = entry.method === 8 ? inflateRawSync(data) : data;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes);
  }
}
