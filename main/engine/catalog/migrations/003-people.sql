-- People feature, version 3. [Note: user work is sacred] A user's split of a group is user work too: each
-- split records its two sides here, and clustering never puts faces of different sides together again.
CREATE TABLE cluster_splits (
  split_id INTEGER NOT NULL,
  face_id INTEGER NOT NULL REFERENCES faces(id) ON DELETE CASCADE,
  side INTEGER NOT NULL CHECK (side IN (0, 1)),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (split_id, face_id)
);
CREATE INDEX cluster_splits_face ON cluster_splits(face_id);

CREATE INDEX rejections_person ON rejections(person_id);
CREATE INDEX undo_log_open ON undo_log(undone_at, id);
