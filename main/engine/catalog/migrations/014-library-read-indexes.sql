-- Library reads, version 14. The UI re-reads the library (folders, status, the grid's first page) after
-- edits and while jobs run; at 100 000 photos each of these scanned or sorted the whole photos table
-- (tens of ms each on a quiet machine, hundreds while a re-group reads the catalog), and the one serving
-- thread answered nothing else meanwhile. Each read now walks an index of just what it returns.
-- The grid, newest first (PhotosRepo.page): its ORDER BY, over the photos it lists, so a page is read in
-- order instead of sorting every photo.
CREATE INDEX photos_newest ON photos(COALESCE(taken_at, mtime_ms) DESC, id DESC)
  WHERE status NOT IN ('missing', 'failed');
-- Photos per folder (FoldersRepo): counted from the index alone, without visiting each photo's row.
DROP INDEX photos_folder;
CREATE INDEX photos_folder_status ON photos(folder_id, status);
-- The "could not read" and warning lists (PhotosRepo.errors, warnings): the few photos with one, by path.
CREATE INDEX photos_error_path ON photos(path) WHERE error IS NOT NULL;
DROP INDEX photos_warning;
CREATE INDEX photos_warning_path ON photos(path) WHERE warning IS NOT NULL;
-- Faces per person (PeopleRepo.counts) skip deleted faces: the few deleted ones, instead of reading every
-- assigned face's row (and its embedding's page) to check.
CREATE INDEX faces_deleted ON faces(id) WHERE deleted_at IS NOT NULL;
