/**
 * Numeric settings with a measured default, a range and a plain-language label and description (for the
 * settings screen and the CLI). A stored value that is missing, not a number or out of range reads as the
 * default, so a bad row can never break a feature.
 */
import type { SettingDto } from '../../api/common';
import { UserError } from '../../api/contract';
import type { SettingsRepo } from '../catalog/settings-repo';

export interface SettingSpec<K extends string = string> {
  key: K;
  label: string;
  description: string;
  default: number;
  min: number;
  max: number;
  /** Whole numbers only. */
  integer?: boolean;
}

export class NumericSettings<K extends string> {
  constructor(
    private readonly specs: readonly SettingSpec<K>[],
    private readonly repo: SettingsRepo,
  ) {}

  read(): Record<K, number> {
    const stored = this.repo.all();
    const out = {} as Record<K, number>;
    for (const s of this.specs) {
      const v = stored[s.key];
      out[s.key] =
        typeof v === 'number' &&
        Number.isFinite(v) &&
        v >= s.min &&
        v <= s.max &&
        (!s.integer || Number.isInteger(v))
          ? v
          : s.default;
    }
    return out;
  }

  list(): SettingDto[] {
    const values = this.read();
    return this.specs.map((s) => ({
      key: s.key,
      label: s.label,
      description: s.description,
      value: values[s.key],
      default: s.default,
      min: s.min,
      max: s.max,
    }));
  }

  /** Sets a value (null restores the default); refuses unknown keys and out-of-range values. */
  set(key: string, value: number | null): SettingDto[] {
    const spec = this.specs.find((s) => s.key === key);
    if (!spec)
      throw new UserError(`Unknown setting "${key}" (known: ${this.specs.map((s) => s.key).join(', ')})`);
    if (value === null) this.repo.reset(key);
    else {
      if (!Number.isFinite(value) || value < spec.min || value > spec.max)
        throw new UserError(`${spec.label}: ${value} is outside ${spec.min}–${spec.max}`);
      if (spec.integer && !Number.isInteger(value))
        throw new UserError(`${spec.label} must be a whole number`);
      this.repo.set(key, value);
    }
    return this.list();
  }
}
