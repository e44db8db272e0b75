/**
 * Adapts the vision pipeline to the indexer's Analyser interface.
 */
import { analysePhoto, facesModelId } from '../vision/face-pipeline';
import type { Analyser, PhotoAnalysis } from './analyser';

/** Runs the pipeline on the calling thread: for tests and tools only, never for a serving process. */
export function inProcessAnalyser(): Analyser {
  const modelId = facesModelId();
  return {
    concurrency: 1,
    async analyse(path: string, signal?: AbortSignal): Promise<PhotoAnalysis> {
      const r = await analysePhoto(path, signal ? { signal } : {});
      return {
        width: r.width,
        height: r.height,
        orientation: r.orientation,
        modelId,
        faces: r.faces.map((f) => ({
          box: f.box,
          landmarks: f.landmarks,
          score: f.score,
          quality: f.quality,
          embedding: f.embedding,
        })),
      };
    },
    dispose: () => Promise.resolve(),
  };
}
