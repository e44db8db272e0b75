/**
 * `visage similar --image FILE [--face N] [--top K] [--json]`: search the library by a face in any image
 * (its largest face unless --face). The same query as `visage search --image`, kept as the short form
 * issue 2 promised scripts.
 */
import { ExitCode, type CliCommand } from '../command';
import { searchCommand } from './search';

export const similarCommand: CliCommand = {
  name: 'similar',
  summary: 'Photos of the person in an image file (its largest face unless --face N), best first',
  usage: 'visage [--db PATH] similar --image FILE [--face N] [--top K] [--threshold T] [--json]',
  options: {
    image: { type: 'string' },
    face: { type: 'string' },
    top: { type: 'string' },
    threshold: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(ctx) {
    if (typeof ctx.values.image !== 'string') {
      ctx.io.err(`visage similar: --image FILE is required\nUsage: ${this.usage}`);
      return ExitCode.usage;
    }
    return searchCommand.run(ctx);
  },
};
