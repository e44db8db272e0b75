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
  /** The execution provider the models ran on, when the vision side reports it. */
  provider?: string | null;
}

export interface Analyser {
  /** How many photos may be in flight at once. */
  readonly concurrency: number;
  analyse(path: string, signal?: AbortSignal): Promise<PhotoAnalysis>;
  dispose(): Promise<void>;
}
