-- Skipped files, version 13: files in a library folder that are not photos (notes.txt, a video, a RAW
-- file Visage cannot decode), kept so the app can say what it left out instead of passing over them in
-- silence. Companion files a photo library is expected to hold (XMP sidecars, Thumbs.db …) are not listed.
-- Each scan of a folder replaces that folder's rows.
CREATE TABLE skipped_files (
  path TEXT PRIMARY KEY,
  folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
  seen_at INTEGER NOT NULL
);
CREATE INDEX skipped_files_folder ON skipped_files(folder_id);
