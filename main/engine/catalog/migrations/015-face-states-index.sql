-- Grouping state, version 15. Grouping keeps every live face's state (group, person, quality: not its
-- embedding) and reads it all at start-up and after a full re-group writes (ClusterRepo.faceStates).
-- Scanning the faces table for it read each row's 2 KB embedding too: 4.5 s on a quiet machine at
-- 270 000 faces, with the one serving thread blocked. This covering partial index holds just the columns
-- that read takes, so it reads a few tens of megabytes (measured 1.2–1.8 s under load, from 3.6–4.5 s).
CREATE INDEX faces_state ON faces(id, photo_id, cluster_id, quality, quality_size, quality_blur, quality_pose, score, deleted_at)
  WHERE deleted_at IS NULL;
