/**
 * `visage search`: photos by people (--person, repeatable: all of them together), by a library face
 * (--face-id) or by a face in an image file (--image, --face N to pick one), filtered by folder and date.
 */
import { UserError } from '../../api/contract';
import type { PhotoMatchDto } from '../../api/search';
import { ExitCode, type CliCommand, type CliIo } from '../command';

/**
 * A date on the command line: YYYY, YYYY-MM, YYYY-MM-DD (local time, like EXIF dates), or any full
 * ISO timestamp. `end` makes a partial date mean the end of that year, month or day, so
 * `--from 2020 --to 2020` is the whole of 2020.
 */
export function parseDate(text: string, end: boolean): number {
  const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(text.trim());
  if (m) {
    const [y, mo, d] = [Number(m[1]), m[2] ? Number(m[2]) : null, m[3] ? Number(m[3]) : null];
    if ((mo !== null && (mo < 1 || mo > 12)) || (d !== null && (d < 1 || d > 31)))
      throw new UserError(`Not a date: "${text}" (use YYYY, YYYY-MM or YYYY-MM-DD)`);
    if (!end) return new Date(y, (mo ?? 1) - 1, d ?? 1).getTime();
    const next =
      d !== null ? new Date(y, mo! - 1, d + 1) : mo !== null ? new Date(y, mo, 1) : new Date(y + 1, 0, 1);
    return next.getTime() - 1;
  }
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new UserError(`Not a date: "${text}" (use YYYY, YYYY-MM or YYYY-MM-DD)`);
  return t;
}

function positiveInt(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new UserError(
      `--${name} must be a whole number, got "${typeof value === 'string' ? value : JSON.stringify(value)}"`,
    );
  return n;
}

function print(io: CliIo, results: PhotoMatchDto[], json: boolean): void {
  if (json) {
    io.out(JSON.stringify({ results }));
    return;
  }
  if (results.length === 0) {
    io.out('No matching photos.');
    return;
  }
  for (const r of results) {
    const date = r.takenAt !== null ? new Date(r.takenAt).toISOString().slice(0, 10) : '----------';
    const faces = r.faces
      .map((f) => `${f.person?.name ?? 'unnamed'} (${f.match} ${f.score.toFixed(2)}, face ${f.faceId})`)
      .join(', ');
    io.out(`${r.score.toFixed(3)}  ${date}  ${r.path}  ${faces}`);
  }
}

export const searchCommand: CliCommand = {
  name: 'search',
  summary: 'Find photos by people (all given together), by a face in the library, or by a face in an image',
  usage:
    'visage [--db PATH] search (--person NAME... | --face-id ID | --image FILE [--face N]) [--folder DIR] ' +
    '[--from DATE] [--to DATE] [--top K] [--threshold T] [--named-only] [--json]',
  options: {
    person: { type: 'string', multiple: true },
    'face-id': { type: 'string' },
    image: { type: 'string' },
    face: { type: 'string' },
    folder: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    top: { type: 'string' },
    threshold: { type: 'string' },
    'named-only': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run({ api, values, io }) {
    const people = (values.person as string[] | undefined) ?? [];
    const faceId = positiveInt('face-id', values['face-id']);
    const image = values.image as string | undefined;
    const queries = [people.length > 0, faceId !== undefined, image !== undefined].filter(Boolean).length;
    if (queries !== 1) {
      io.err(`visage search: give exactly one of --person, --face-id or --image\nUsage: ${this.usage}`);
      return ExitCode.usage;
    }
    if (values.face !== undefined && image === undefined) {
      io.err('visage search: --face N picks a face of --image; use --face-id for a face in the library');
      return ExitCode.usage;
    }
    const threshold = values.threshold !== undefined ? Number(values.threshold) : undefined;
    if (threshold !== undefined && !(threshold >= -1 && threshold <= 1))
      throw new UserError(
        `--threshold must be a number from -1 to 1, got "${JSON.stringify(values.threshold)}"`,
      );
    const options = {
      folder: values.folder as string | undefined,
      from: typeof values.from === 'string' ? parseDate(values.from, false) : undefined,
      to: typeof values.to === 'string' ? parseDate(values.to, true) : undefined,
      top: positiveInt('top', values.top) ?? 20,
      threshold,
    };
    const json = values.json === true;
    let results: PhotoMatchDto[];
    if (people.length > 0) {
      results = (await api['search.byPeople']({ people, similar: values['named-only'] !== true, ...options }))
        .results;
    } else if (faceId !== undefined) {
      results = (await api['search.byFace']({ faceId, ...options })).results;
    } else {
      try {
        const face = positiveInt('face', values.face);
        const reply = await api['search.byImage']({ path: image!, face, ...options });
        if (!json)
          io.err(`Searching with face ${reply.used + 1} of ${reply.faces.length} found in ${image!}.`);
        results = reply.results;
      } catch (err) {
        if (err instanceof UserError && err.code === 'not_found') {
          io.err(`visage search: ${err.message}`);
          return ExitCode.notFound;
        }
        throw err;
      }
    }
    print(io, results, json);
    return results.length > 0 ? ExitCode.ok : ExitCode.notFound;
  },
};
