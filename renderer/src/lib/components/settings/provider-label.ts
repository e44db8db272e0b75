/**
 * What runs the face models, in the user's words: the engine reports ONNX Runtime's provider id ("cpu",
 * "cuda"), which Settings showed as it was ("Runs on: cpu"). An id this UI does not know is shown as itself.
 */
import { t } from '../../i18n/i18n.svelte';

const WORDED = ['cpu', 'cuda', 'dml', 'coreml'] as const;

export function providerLabel(id: string): string {
  const known = WORDED.find((w) => w === id);
  return known ? t(`settings.provider.${known}`) : t('settings.provider.other', { id });
}
