-- Search, version 4. [Note: face change log] The search index (main/engine/search) keeps every live face's
-- embedding in memory and an approximate index on disk. Instead of rescanning the faces table, it reads
-- this log of face ids whose embedding, photo or deleted flag changed since the sequence number it last
-- applied. Triggers fill it, so every writer (indexer, people edits, undo, workers on other connections) is
-- covered. Pruned by the search index after it persists its state (settings 'search.prunedThrough').
CREATE TABLE face_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  face_id INTEGER NOT NULL
);

CREATE TRIGGER face_changes_insert AFTER INSERT ON faces
BEGIN
  INSERT INTO face_changes (face_id) VALUES (new.id);
END;

CREATE TRIGGER face_changes_update AFTER UPDATE OF embedding, deleted_at, photo_id ON faces
BEGIN
  INSERT INTO face_changes (face_id) VALUES (new.id);
END;

CREATE TRIGGER face_changes_delete AFTER DELETE ON faces
BEGIN
  INSERT INTO face_changes (face_id) VALUES (old.id);
END;
