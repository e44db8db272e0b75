-- Grouping, version 11. [Note: grouping change log] Incremental grouping keeps every face's grouping state
-- (quality, photo, unnamed group, assignment) in memory between runs instead of reading the whole faces
-- table on every edit (0.6 s of a frozen engine per edit at 50 000 faces). This log names the faces whose
-- state changed since the sequence number a reader last applied; triggers fill it, so every writer
-- (people edits, undo, recognition, the indexer, another process on the same catalog) is covered. Only
-- real changes are logged: recognition rewrites thousands of unchanged suggestions per run.
-- Pruned by the grouping service (settings 'grouping.prunedThrough'); a reader behind that reloads.
CREATE TABLE grouping_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  face_id INTEGER NOT NULL
);

CREATE TRIGGER grouping_changes_face_insert AFTER INSERT ON faces
BEGIN
  INSERT INTO grouping_changes (face_id) VALUES (new.id);
END;

CREATE TRIGGER grouping_changes_face_update AFTER UPDATE ON faces
WHEN old.cluster_id IS NOT new.cluster_id OR old.deleted_at IS NOT new.deleted_at
  OR old.photo_id IS NOT new.photo_id OR old.quality IS NOT new.quality
  OR old.quality_size IS NOT new.quality_size OR old.quality_blur IS NOT new.quality_blur
  OR old.quality_pose IS NOT new.quality_pose OR old.score IS NOT new.score
  OR old.embedding IS NOT new.embedding
BEGIN
  INSERT INTO grouping_changes (face_id) VALUES (new.id);
END;

CREATE TRIGGER grouping_changes_face_delete AFTER DELETE ON faces
BEGIN
  INSERT INTO grouping_changes (face_id) VALUES (old.id);
END;

CREATE TRIGGER grouping_changes_assignment_insert AFTER INSERT ON assignments
BEGIN
  INSERT INTO grouping_changes (face_id) VALUES (new.face_id);
END;

CREATE TRIGGER grouping_changes_assignment_update AFTER UPDATE ON assignments
WHEN old.face_id IS NOT new.face_id OR old.person_id IS NOT new.person_id
  OR old.kind IS NOT new.kind OR old.source IS NOT new.source
BEGIN
  INSERT INTO grouping_changes (face_id) VALUES (old.face_id);
  INSERT INTO grouping_changes (face_id) SELECT new.face_id WHERE new.face_id IS NOT old.face_id;
END;

CREATE TRIGGER grouping_changes_assignment_delete AFTER DELETE ON assignments
BEGIN
  INSERT INTO grouping_changes (face_id) VALUES (old.face_id);
END;

-- [Note: faces left ungrouped] Faces a grouping run tried and left in no group: kept here so that the first
-- edit after a restart does not search them all again (tens of thousands at 250 000 faces).
CREATE TABLE grouping_left_out (
  face_id INTEGER PRIMARY KEY REFERENCES faces(id) ON DELETE CASCADE
);
