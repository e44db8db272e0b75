/** When a photo was taken, from EXIF (DateTimeOriginal, else CreateDate); null when unknown. */
import exifr from 'exifr';

export async function readTakenAt(file: string): Promise<number | null> {
  try {
    const tags = (await exifr.parse(file, { pick: ['DateTimeOriginal', 'CreateDate'] })) as
      { DateTimeOriginal?: Date; CreateDate?: Date } | undefined;
    const d = tags?.DateTimeOriginal ?? tags?.CreateDate;
    return d instanceof Date && !Number.isNaN(d.getTime()) ? d.getTime() : null;
  } catch {
    return null; // no or unreadable EXIF is normal (PNG, screenshots); the photo still indexes
  }
}
