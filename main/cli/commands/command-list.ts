/** Every `visage` command, in the order `visage --help` lists them. Features add theirs here. */
import type { CliCommand } from '../command';
import { facesCommand } from './faces';
import { indexCommand } from './index-command';
import { serveCommand } from './serve';
import { settingsCommand } from './settings';
import { similarCommand } from './similar';
import { statusCommand } from './status';
import { clusterCommand } from './cluster';
import { confirmCommand } from './confirm';
import { exportLabelsCommand } from './export-labels';
import { importLabelsCommand } from './import-labels';
import { labelCommand } from './label';
import { mergeCommand } from './merge';
import { peopleCommand } from './people';
import { personCommand } from './person';
import { rejectCommand } from './reject';
import { searchCommand } from './search';
import { suggestionsCommand } from './suggestions';
import { undoCommand } from './undo';
import { xmpCommand } from './xmp';
import { trainCommand } from './train';
import { headsCommand } from './heads';
import { evalCommand } from './eval';

export const commands: CliCommand[] = [
  indexCommand,
  statusCommand,
  facesCommand,
  similarCommand,
  settingsCommand,
  serveCommand,
  peopleCommand,
  personCommand,
  labelCommand,
  suggestionsCommand,
  confirmCommand,
  rejectCommand,
  mergeCommand,
  clusterCommand,
  undoCommand,
  exportLabelsCommand,
  importLabelsCommand,
  xmpCommand,
  searchCommand,
  trainCommand,
  headsCommand,
  evalCommand,
];
