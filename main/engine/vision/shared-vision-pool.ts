/**
 * One vision worker pool for the whole engine, started on first use: indexing, search by image and
 * hand-drawn faces all run their inference there, never on the thread that serves requests (STYLE 3).
 */
import type { Box } from '../../api/common';
import type { FaceInput } from '../catalog/faces-repo';
import { facesModelId } from './face-pipeline';
import { VisionPool, type VisionPoolOptions } from './vision-pool';
import { visionPlan, type VisionPlan } from './vision-plan';

/** A face found in a query image: where it is and its embedding. */
export interface ImageFace {
  box: Box;
  embedding: Float32Array;
}

/** Finds faces in an image file (search by image; tests may pass their own). */
export type AnalyseImage = (file: string) => Promise<ImageFace[]>;

/** Embeds a face from a box drawn by hand on a library photo. */
export type EmbedFromBox = (
  photoPath: string,
  box: Box,
  /** The photo's orientation as indexed (it may come from a sidecar, [Note: sidecar orientation]). */
  orientation?: number | null,
) => Promise<Omit<FaceInput, 'box'> & { modelId: string }>;

export class SharedVisionPool {
  private pool: VisionPool | null = null;

  constructor(private readonly options: VisionPoolOptions = {}) {}

  /** Workers × ORT threads the pool runs (or will run, before it starts). */
  plan(): VisionPlan {
    const plan = visionPlan(this.pool?.size ?? this.options.size);
    return { ...plan, ortThreads: this.options.ortThreads ?? plan.ortThreads };
  }

  get(): VisionPool {
    this.pool ??= new VisionPool(this.options);
    return this.pool;
  }

  /** Faces of a query image (search by image). */
  readonly analyseImage: AnalyseImage = async (file) =>
    (await this.get().analysePhoto(file)).faces.map((f) => ({ box: f.box, embedding: f.embedding }));

  /** A face from a box drawn by hand. */
  readonly embedFromBox: EmbedFromBox = async (photoPath: string, box: Box, orientation) => {
    const options = orientation ? { orientation } : {};
    const face = (await this.get().embedFromBox(photoPath, box, options)).faces[0];
    if (!face) throw new Error('No face could be embedded from that box');
    return {
      landmarks: face.landmarks,
      score: 1,
      quality: face.quality,
      embedding: face.embedding,
      modelId: facesModelId(),
    };
  };

  async dispose(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.dispose();
  }
}
