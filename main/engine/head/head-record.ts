/**
 * What a heads-table row holds in its JSON columns, and the row ⇄ contract DTO mapping. One place, so
 * the service that writes rows and the handlers that read them agree on the shape.
 */
import type { HeadDto } from '../../api/head';
import type { HeadSummaryRow } from '../catalog/heads-repo';
import type { Calibration, ConfidenceMap } from './recognise/calibration';
import type { ValidationMetrics } from './train/guard';

export interface HeadMetricsJson {
  validation: ValidationMetrics;
  calibration: Calibration;
  confidence: ConfidenceMap;
  targetPrecision: number;
  accepted: boolean;
  backendNotes: string[];
  final: { epochs: number; trainMs: number; flops: number; samples: number };
  totalMs: number;
  activatedAt?: number;
  rolledBackAt?: number;
}

export interface BaselineJson {
  validation: ValidationMetrics;
  calibration: Calibration;
  confidence: ConfidenceMap;
}

const emptyValidation: ValidationMetrics = { top1: 0, open: 0, separation: 0, known: 0, unknown: 0 };

export function toHeadDto(row: HeadSummaryRow): HeadDto {
  const m = row.metrics as Partial<HeadMetricsJson>;
  const b = row.baseline as Partial<BaselineJson>;
  return {
    id: row.id,
    createdAt: row.createdAt,
    loss: row.loss,
    backend: row.backend,
    backendNotes: m.backendNotes ?? [],
    settings: row.settings as Record<string, unknown>,
    data: row.data as Record<string, number>,
    metrics: m.validation ?? emptyValidation,
    baseline: b.validation ?? emptyValidation,
    accepted: m.accepted ?? false,
    verdict: row.verdict,
    threshold: row.threshold,
    targetPrecision: m.targetPrecision ?? 0.99,
    active: row.active,
    trainMs: m.totalMs ?? 0,
  };
}
