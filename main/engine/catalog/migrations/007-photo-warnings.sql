-- Photo warnings, version 7. [Note: bad sidecars] A problem that does not stop a photo from being indexed
-- (a sidecar that is empty or not XMP, XMP regions that could not be used) is recorded on the photo, shown
-- by `visage status`, and replaced the next time the photo's XMP is read.
ALTER TABLE photos ADD COLUMN warning TEXT;
CREATE INDEX photos_warning ON photos(warning) WHERE warning IS NOT NULL;
