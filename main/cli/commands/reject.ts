/** `visage reject --face ID --person NAME`: "not this person", remembered for good. */
import { ExitCode, type CliCommand } from '../command';
import { faceId } from './face-id';

export const rejectCommand: CliCommand = {
  name: 'reject',
  summary: 'Say a face is not a person; it never returns to them',
  usage: 'visage [--db PATH] reject --face ID --person NAME',
  options: { face: { type: 'string' }, person: { type: 'string' } },
  async run({ api, values, io }) {
    const id = faceId(values.face);
    if (id === null || typeof values.person !== 'string' || !values.person.trim()) {
      io.err('visage reject: needs --face ID and --person NAME');
      return ExitCode.usage;
    }
    io.out((await api['people.reject']({ faceId: id, person: values.person })).summary);
    return ExitCode.ok;
  },
};
