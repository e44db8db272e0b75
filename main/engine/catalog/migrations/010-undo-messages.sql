-- The undo log keeps each edit's message as a key and parameters (JSON), so the history and "Undid …"
-- are worded in the user's language and never show an internal id ([Note: worded messages]).
-- Older entries have none; the UI shows their English summary.
ALTER TABLE undo_log ADD COLUMN message TEXT;
