/**
 * The peer for the engine bench: @vladmandic/face-api (TF.js) on its WASM backend, run the way its own
 * `detectAllFaces(img).withFaceLandmarks().withFaceDescriptors()` chain runs, but stage by stage so each
 * stage can be timed: detect → crop each box → 68 landmarks → aligned rect from the landmarks → crop →
 * 128-d descriptor. The chain's own code (src/globalApi/DetectFaceLandmarksTasks.ts and
 * ComputeFaceDescriptorsTasks.ts) is what this mirrors, with the same calls and options.
 * Models load from node_modules/@vladmandic/face-api/model (shipped in the npm package; never the
 * network). Images are decoded exactly as Visage decodes them (decode.ts) into an int32 HWC tensor, which
 * is how face-api's Node demos feed it.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as FaceApi from '@vladmandic/face-api';
import type * as TfCore from '@tensorflow/tfjs-core';
import { decodePhoto } from '../../main/engine/vision/decode';

export type PeerDetector = 'ssd' | 'tiny';

export interface PeerTimings {
  decode: number;
  detect: number;
  landmarks: number;
  align: number;
  embed: number;
  total: number;
}

export interface PeerFace {
  box: { x: number; y: number; w: number; h: number };
  score: number;
  descriptorLength: number;
}

export interface PeerAnalysis {
  width: number;
  height: number;
  faces: PeerFace[];
  timings: PeerTimings;
}

export interface Peer {
  /** e.g. "face-api 1.7.15, tfjs-core 4.22.0, wasm (SIMD, 1 thread)". */
  describe: string;
  analyse(file: string, detector: PeerDetector): Promise<PeerAnalysis>;
}

/** face-api's best detector (SSD MobileNet v1): its defaults are minConfidence 0.5, maxResults 100. */
const SSD_MIN_CONFIDENCE = 0.5;
/** TinyFaceDetector: face-api's default score threshold 0.5; input 608 (its largest preset) for small faces. */
const TINY_INPUT = 608;
const TINY_THRESHOLD = 0.5;

let loaded: Promise<Peer> | null = null;

/** Loads face-api, the WASM backend and the four nets once per thread. */
export function loadPeer(): Promise<Peer> {
  loaded ??= load();
  return loaded;
}

async function load(): Promise<Peer> {
  const require = createRequire(import.meta.url);
  // The node-wasm build requires '@tensorflow/tfjs' and the WASM backend itself; tfjs-core resolves to
  // the same (deduped) module instance, which we use for the calls face-api's narrow `tf` type omits.
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as typeof FaceApi;
  const tf = require('@tensorflow/tfjs-core') as typeof TfCore;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as {
    setWasmPaths(prefix: string): void;
    version_wasm: string;
  };
  // face-api 1.7.15 was built against TF.js 4.22.0; a mismatched backend would measure something else.
  if (wasm.version_wasm !== tf.version_core) {
    throw new Error(`face-api peer: tfjs-backend-wasm ${wasm.version_wasm} ≠ tfjs-core ${tf.version_core}`);
  }
  wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
  if (!(await tf.setBackend('wasm'))) throw new Error('face-api peer: the TF.js WASM backend did not start');
  await tf.ready();
  const modelDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
  await faceapi.nets.tinyFaceDetector.loadFromDisk(modelDir);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'multi-threaded' : '1 thread';
  const describe = `face-api ${faceapi.version}, tfjs-core ${tf.version_core}, ${tf.getBackend()} (${simd ? 'SIMD' : 'no SIMD'}, ${threads}); input decoded by Visage's decode.ts (≤ 6 MP)`;
  return { describe, analyse: (file, detector) => analyse(faceapi, tf, file, detector) };
}

async function analyse(
  faceapi: typeof FaceApi,
  tf: typeof TfCore,
  file: string,
  detector: PeerDetector,
): Promise<PeerAnalysis> {
  const t: PeerTimings = { decode: 0, detect: 0, landmarks: 0, align: 0, embed: 0, total: 0 };
  const start = performance.now();
  let mark = start;
  const lap = (stage: Exclude<keyof PeerTimings, 'total'>) => {
    const now = performance.now();
    t[stage] += now - mark;
    mark = now;
  };

  // The same decode as Visage (decode.ts: EXIF-oriented sRGB, shrink-on-load to at most 6 MP), so both
  // pipelines see the same pixels; boxes go back to full resolution by the same scale.
  const d = await decodePhoto(file);
  const { data, width, height } = d.image;
  const input = tf.tensor3d(data, [height, width, 3], 'int32') as unknown as FaceApi.tf.Tensor3D;
  lap('decode');
  try {
    const options =
      detector === 'ssd'
        ? new faceapi.SsdMobilenetv1Options({ minConfidence: SSD_MIN_CONFIDENCE, maxResults: 100 })
        : new faceapi.TinyFaceDetectorOptions({ inputSize: TINY_INPUT, scoreThreshold: TINY_THRESHOLD });
    const found = await faceapi.detectAllFaces(input, options);
    lap('detect');

    // DetectAllFaceLandmarksTask.run: crop each detection box, 68 points per crop, shift into the image.
    const withDet = found.map((d) => faceapi.extendWithFaceDetection({}, d));
    const boxCrops = await faceapi.extractFaceTensors(input, found);
    const marks: FaceApi.FaceLandmarks68[] = [];
    for (const crop of boxCrops)
      marks.push((await faceapi.nets.faceLandmark68Net.detectLandmarks(crop)) as FaceApi.FaceLandmarks68);
    for (const c of boxCrops) c.dispose();
    const withMarks = withDet.map((d, i) => faceapi.extendWithFaceLandmarks(d, marks[i]!));
    lap('landmarks');

    // ComputeAllFaceDescriptorsTask.run: the dlib-style aligned rect from the landmarks, cropped.
    const rects = withMarks.map((r) => {
      const b = r.landmarks.align(null, { useDlibAlignment: true });
      return new faceapi.Rect(b.x, b.y, b.width, b.height);
    });
    const alignedCrops = await faceapi.extractFaceTensors(input, rects);
    lap('align');
    const faces: PeerFace[] = [];
    for (let i = 0; i < alignedCrops.length; i++) {
      const descriptor = (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(
        alignedCrops[i]!,
      )) as Float32Array;
      const b = found[i]!.box;
      faces.push({
        box: { x: b.x / d.scale, y: b.y / d.scale, w: b.width / d.scale, h: b.height / d.scale },
        score: found[i]!.score,
        descriptorLength: descriptor.length,
      });
    }
    for (const c of alignedCrops) c.dispose();
    lap('embed');
    t.total = performance.now() - start;
    return { width: d.width, height: d.height, faces, timings: t };
  } finally {
    input.dispose();
  }
}
