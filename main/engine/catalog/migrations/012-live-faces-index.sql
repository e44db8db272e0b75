-- Library status, version 12. The status bar polls the number of live faces while a job runs; counting
-- them scanned the faces table, whose rows carry 2 KB embeddings (550 MB at 270 000 faces): seconds of
-- a frozen engine per poll in the 100 000-photo UI bench. A partial index of live faces makes the count
-- a scan of a few megabytes.
CREATE INDEX faces_live ON faces(photo_id) WHERE deleted_at IS NULL;
