/**
 * When a photo was taken, from EXIF (DateTimeOriginal, else CreateDate); null when unknown.
 * Only the file's head is read (JPEG, PNG, WebP and most HEIC keep EXIF near the start) and handed to exifr
 * as a buffer: exifr's own file reader leaves file handles for the GC to close when it stops early.
 */
import { open } from 'node:fs/promises';
import exifr from 'exifr';

const HEAD_BYTES = 512 * 1024;

export async function readTakenAt(file: string): Promise<number | null> {
  try {
    const fh = await open(file, 'r');
    let head: Buffer;
    try {
      const buf = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
    const tags = (await exifr.parse(head, { pick: ['DateTimeOriginal', 'CreateDate'] })) as
      { DateTimeOriginal?: Date; CreateDate?: Date } | undefined;
    const d = tags?.DateTimeOriginal ?? tags?.CreateDate;
    return d instanceof Date && !Number.isNaN(d.getTime()) ? d.getTime() : null;
  } catch {
    return null; // no or unreadable EXIF is normal (PNG, screenshots); the photo still indexes
  }
}
