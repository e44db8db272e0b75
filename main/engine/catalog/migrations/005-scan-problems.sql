-- Scan problems, version 5: what a folder scan could not look at (an unreadable folder, a dangling symbolic
-- link, a link loop, a file that vanished mid-scan), kept so `visage status` and the app's "could not read"
-- list account for every entry a scan saw, not only for the photos it could add. Each scan of a folder
-- replaces that folder's rows.
CREATE TABLE scan_problems (
  path TEXT PRIMARY KEY,
  folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
  error TEXT NOT NULL,
  seen_at INTEGER NOT NULL
);
CREATE INDEX scan_problems_folder ON scan_problems(folder_id);
