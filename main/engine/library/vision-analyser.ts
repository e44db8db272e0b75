/**
 * Adapts the vision pipeline to the indexer's Analyser interface: in the app, CLI and server it runs in
 * the worker pool, off the thread that serves requests (STYLE 3); tools and tests may run it in-process.
 */
import type { VisionPool } from '../vision/vision-pool';
import type { PipelineOptions } from '../vision/vision-worker';
import { analysePhoto, facesModelId, type PhotoAnalysis as VisionAnalysis } from '../vision/face-pipeline';
import type { Analyser, PhotoAnalysis } from './analyser';

function toAnalysis(r: VisionAnalysis, modelId: string): PhotoAnalysis {
  return {
    width: r.width,
    height: r.height,
    orientation: r.orientation,
    modelId,
    warnings: r.warnings,
    provider: r.provider,
    faces: r.faces.map((f) => ({
      box: f.box,
      landmarks: f.landmarks,
      score: f.score,
      quality: f.quality,
      embedding: f.embedding,
    })),
  };
}

/** The default: the engine's vision worker pool (which the engine, not the analyser, disposes). */
export function poolAnalyser(pool: VisionPool, options: PipelineOptions = {}): Analyser {
  const modelId = facesModelId();
  return {
    concurrency: pool.capacity, // [Note: decode overlap]: a busy worker decodes its next photo meanwhile
    analyse: async (path, signal, extra) =>
      toAnalysis(await pool.analysePhoto(path, { ...options, ...extra }, signal), modelId),
    dispose: () => Promise.resolve(),
  };
}

/** Runs the pipeline on the calling thread: for tools and tests only, never for a serving process. */
export function inProcessAnalyser(): Analyser {
  const modelId = facesModelId();
  return {
    concurrency: 1,
    analyse: async (path, signal, extra) =>
      toAnalysis(await analysePhoto(path, { ...extra, ...(signal ? { signal } : {}) }), modelId),
    dispose: () => Promise.resolve(),
  };
}
