/** What the host can do (Electron vs web mode), loaded once at start. */
import type { AppInfo } from '../../../../main/api/app';
import { api } from '../api/client';

class AppInfoState {
  info = $state<AppInfo | null>(null);

  async load(): Promise<void> {
    this.info = await api['app.info']({});
  }

  get canPickFolder(): boolean {
    return this.info?.canPickFolder ?? false;
  }

  get canOpenFiles(): boolean {
    return this.info?.canOpenFiles ?? false;
  }
}

export const appInfo = new AppInfoState();
