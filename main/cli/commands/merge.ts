/** `visage merge A B`: person A becomes part of person B (undo with `visage undo`). */
import { ExitCode, type CliCommand } from '../command';

export const mergeCommand: CliCommand = {
  name: 'merge',
  summary: 'Merge person A into person B (undoable)',
  usage: 'visage [--db PATH] merge A B',
  options: {},
  async run({ api, positionals, io }) {
    if (positionals.length !== 2) {
      io.err('visage merge: give two names, e.g. visage merge "Bob" "Robert"');
      return ExitCode.usage;
    }
    io.out((await api['people.merge']({ from: positionals[0]!, into: positionals[1]! })).summary);
    return ExitCode.ok;
  },
};
