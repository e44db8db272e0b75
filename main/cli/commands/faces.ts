/** `visage faces`: every face as JSON Lines (or a table), optionally with embeddings. */
import { ExitCode, type CliCommand } from '../command';

const PAGE = 1000;

export const facesCommand: CliCommand = {
  name: 'faces',
  summary: 'List every face: photo, box [x,y,w,h], score, landmarks, quality, person, group',
  usage: 'visage [--db PATH] faces [--json] [--embeddings]',
  options: { json: { type: 'boolean' }, embeddings: { type: 'boolean' } },
  async run({ api, values, io }) {
    const embeddings = values.embeddings === true;
    for (let offset = 0; ; offset += PAGE) {
      const page = await api['library.faces']({ offset, limit: PAGE, embeddings });
      for (const f of page.items) {
        if (values.json || embeddings) {
          io.out(
            JSON.stringify({
              id: f.id,
              photo: f.photoPath,
              box: [f.box.x, f.box.y, f.box.w, f.box.h].map((v) => Math.round(v * 10) / 10),
              score: f.score,
              landmarks: f.landmarks,
              quality: f.quality,
              person: f.person?.name ?? null,
              person_id: f.person?.id ?? null,
              assignment: f.assignment,
              confidence: f.confidence,
              cluster: f.cluster,
              ...(f.embedding ? { embedding: f.embedding } : {}),
            }),
          );
        } else {
          const b = f.box;
          io.out(
            `${String(f.id).padStart(6)}  ${f.photoPath}  [${[b.x, b.y, b.w, b.h].map(Math.round).join(',')}]  ` +
              `score ${f.score.toFixed(2)}  ${f.person?.name ?? (f.cluster !== null ? `group ${f.cluster}` : '-')}`,
          );
        }
      }
      if (offset + PAGE >= page.total) break;
    }
    return ExitCode.ok;
  },
};
