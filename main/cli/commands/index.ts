/** Every `visage` command, in the order `visage --help` lists them. Features add theirs here. */
import type { CliCommand } from '../command';
import { facesCommand } from './faces';
import { indexCommand } from './index-command';
import { serveCommand } from './serve';
import { statusCommand } from './status';

export const commands: CliCommand[] = [indexCommand, statusCommand, facesCommand, serveCommand];
