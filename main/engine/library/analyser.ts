/** What the indexer needs from the vision side: one photo in, its faces out (in a worker, off this thread). */
import type { FaceInput } from '../catalog/faces-repo';

export interface PhotoAnalysis {
  /** Oriented (EXIF rotation applied) size in pixels. */
  width: number;
  height: number;
  orientation: number | null;
  faces: FaceInput[];
  /** Ids of the models that produced the faces, e.g. "ultraface-rfb320+pfld-68+arcface-r512". */
  modelId: string;
  /** Damage the decoder worked around (corrupt JPEG data): kept on the photo as a warning. */
  warnings?: string[];
  /** The execution provider the models ran on, when the vision side reports it. */
  provider?: string | null;
}

export interface Analyser {
  /** How many photos may be in flight at once. */
  readonly concurrency: number;
  /** `orientation` overrides the file's EXIF tag ([Note: sidecar orientation]). */
  analyse(path: string, signal?: AbortSignal, options?: { orientation?: number }): Promise<PhotoAnalysis>;
  dispose(): Promise<void>;
}
