/** `visage undo`: reverses the latest edit (also after a restart). */
import { ExitCode, type CliCommand } from '../command';

export const undoCommand: CliCommand = {
  name: 'undo',
  summary: 'Undo the latest change to people and faces',
  usage: 'visage [--db PATH] undo [--json]',
  options: { json: { type: 'boolean' } },
  async run({ api, values, io }) {
    const { undone } = await api['people.undo']({});
    if (values.json) io.out(JSON.stringify({ undone }));
    else io.out(undone ? `Undid: ${undone.summary}` : 'Nothing to undo.');
    return undone ? ExitCode.ok : ExitCode.notFound;
  },
};
