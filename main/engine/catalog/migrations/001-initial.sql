-- Visage catalog, version 1. [Note: user work is sacred] Names, confirmations and rejections live in
-- people / assignments(kind='confirmed') / rejections; no migration or job may drop or rewrite them.

CREATE TABLE folders (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  added_at INTEGER NOT NULL,
  last_scan_at INTEGER
);

CREATE TABLE photos (
  id INTEGER PRIMARY KEY,
  folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
  path TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL,
  mtime_ms INTEGER NOT NULL,
  hash TEXT,                        -- sha256 of the file, used to follow moves
  width INTEGER,                    -- oriented (EXIF rotation applied) pixels
  height INTEGER,
  orientation INTEGER,              -- EXIF orientation tag, 1..8
  taken_at INTEGER,                 -- ms since epoch from EXIF DateTimeOriginal, else null
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed', 'missing')),
  error TEXT,                       -- reason when status = 'failed' (or why it is missing)
  faces_model TEXT,                 -- detector+embedder ids that produced this photo's faces
  indexed_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX photos_folder ON photos(folder_id);
CREATE INDEX photos_status ON photos(status);
CREATE INDEX photos_hash ON photos(hash);
CREATE INDEX photos_taken ON photos(taken_at);

CREATE TABLE faces (
  id INTEGER PRIMARY KEY,
  photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
  x REAL NOT NULL, y REAL NOT NULL, w REAL NOT NULL, h REAL NOT NULL,  -- oriented-image pixels
  landmarks TEXT NOT NULL,          -- JSON [[x,y] x5]: eyes, nose tip, mouth corners
  score REAL NOT NULL,              -- detector confidence (1 for hand-drawn)
  quality REAL NOT NULL,            -- 0..1 combined quality (size, sharpness, pose)
  quality_size REAL NOT NULL,       -- face height in pixels
  quality_blur REAL NOT NULL,       -- variance of the Laplacian on the aligned face
  quality_pose REAL NOT NULL,       -- 0 frontal .. 1 profile
  embedding BLOB NOT NULL,          -- Float32Array(512), L2-normalised
  model_id TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT 'detector' CHECK (source IN ('detector', 'manual', 'xmp')),
  cluster_id INTEGER,               -- unnamed group (people service), null when none
  deleted_at INTEGER,               -- "not a face": hidden, kept so undo can restore it
  created_at INTEGER NOT NULL
);
CREATE INDEX faces_photo ON faces(photo_id);
CREATE INDEX faces_cluster ON faces(cluster_id);

CREATE TABLE people (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  hidden INTEGER NOT NULL DEFAULT 0,
  cover_face_id INTEGER REFERENCES faces(id) ON DELETE SET NULL,
  merged_into INTEGER REFERENCES people(id),  -- set by merge; undo clears it
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX people_name ON people(name COLLATE NOCASE) WHERE merged_into IS NULL;

-- One current assignment per face. kind: confirmed (by the user), suggested (shown for review), auto
-- (above the calibrated threshold). source says who made it: user, head:<id>, centroid, xmp, import, folder.
CREATE TABLE assignments (
  face_id INTEGER PRIMARY KEY REFERENCES faces(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES people(id),
  kind TEXT NOT NULL CHECK (kind IN ('confirmed', 'suggested', 'auto')),
  source TEXT NOT NULL,
  confidence REAL,
  created_at INTEGER NOT NULL
);
CREATE INDEX assignments_person ON assignments(person_id, kind);

-- "Not this person": persistent; the face never returns to that person.
CREATE TABLE rejections (
  face_id INTEGER NOT NULL REFERENCES faces(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES people(id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (face_id, person_id)
);

-- Every user edit as an undoable entry; survives restarts.
CREATE TABLE undo_log (
  id INTEGER PRIMARY KEY,
  op TEXT NOT NULL,
  summary TEXT NOT NULL,
  payload TEXT NOT NULL,            -- JSON: what is needed to reverse the change
  created_at INTEGER NOT NULL,
  undone_at INTEGER
);

-- Trained heads: settings, data snapshot, metrics and the baseline's, the weights, the threshold.
CREATE TABLE heads (
  id INTEGER PRIMARY KEY,
  created_at INTEGER NOT NULL,
  loss TEXT NOT NULL,
  backend TEXT NOT NULL,
  settings TEXT NOT NULL,
  data TEXT NOT NULL,
  metrics TEXT NOT NULL,
  baseline TEXT NOT NULL,
  verdict TEXT NOT NULL,
  weights BLOB NOT NULL,
  threshold REAL NOT NULL,
  active INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  params TEXT NOT NULL DEFAULT '{}',
  done INTEGER NOT NULL DEFAULT 0,
  total INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
