/**
 * Whether this tab can reach Visage (web mode): connected, reconnecting (the server went away; the event
 * socket retries with back-off) or refused (the server is back but with another token). After a
 * reconnect every view re-reads its snapshot, since events may have been missed meanwhile.
 */
import { onAccessRefused, onConnectionChange, reconnectNow } from '../api/web-client';
import { library } from './library.svelte';
import { people } from './people.svelte';

export type ConnectionState = 'connected' | 'reconnecting' | 'refused';

class Connection {
  state = $state<ConnectionState>('connected');
  private wasDown = false;

  start(): void {
    onConnectionChange((connected) => {
      if (!connected) {
        this.wasDown = true;
        if (this.state !== 'refused') this.state = 'reconnecting';
        return;
      }
      this.state = 'connected';
      if (this.wasDown) {
        this.wasDown = false;
        void library.refresh();
        void people.refresh();
      }
    });
    onAccessRefused(() => {
      this.state = 'refused';
    });
  }

  reconnect(): void {
    reconnectNow();
  }
}

export const connection = new Connection();
