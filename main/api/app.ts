/**
 * The app shell: what hosts the UI (Electron, web mode, CLI) and what only a desktop host can do (native
 * folder picker, open a photo in the system viewer), plus the image files behind thumbnails and previews.
 * The engine answers these with honest defaults (no picker, nothing to open); the Electron main process
 * and the web server override the host-specific ones. [Note: one contract]
 */
import { z } from 'zod';
import { empty, idSchema, ok } from './common';
import { request } from './define';

export { MAX_UPLOAD_BYTES, UPLOAD_ROUTE } from './upload-route';

export const shellSchema = z.enum(['electron', 'web', 'cli']);
export type Shell = z.infer<typeof shellSchema>;

export const appInfoSchema = z.object({
  shell: shellSchema,
  version: z.string(),
  platform: z.string(),
  /** A native folder dialog exists (Electron); otherwise the UI asks for a typed path. */
  canPickFolder: z.boolean(),
  /** The host can open a photo in the system viewer or reveal it in its folder. */
  canOpenFiles: z.boolean(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/**
 * Image variants the UI shows. `photo` is the original file; the others are cached JPEGs made by sharp with
 * EXIF orientation applied, so face boxes (oriented pixels) line up with them. `context` (by face id) is
 * the face in its photo: a square CONTEXT_SCALE times the face's larger side around the face, kept inside
 * the photo ([Note: context window]), so the face's box sits at a place both sides compute: contextBox()
 * in face-context.ts, from the box and the photo's size.
 */
export const imageKindSchema = z.enum(['photo', 'preview', 'thumb', 'face', 'context']);
export type ImageKind = z.infer<typeof imageKindSchema>;

/** The app's main views; the desktop menu and shortcuts name them. */
export const viewSchema = z.enum(['library', 'people', 'review', 'search', 'training', 'settings']);

export const appEvents = {
  /**
   * A menu item or global shortcut of the desktop app, for the UI to act on (only the Electron host emits
   * it; in web mode the same actions are reached from the page).
   */
  'app.command': z.discriminatedUnion('command', [
    z.object({ command: z.literal('navigate'), view: viewSchema }),
    z.object({ command: z.literal('addFolder') }),
  ]),
} as const;

/**
 * [Note: display preferences] The UI's language and theme belong to the catalog, not to a browser profile:
 * web mode in any browser and the desktop app show what the user chose, across restarts. null: never
 * chosen, so the UI follows the browser or system (its language, its light/dark setting).
 */
export const uiPrefsSchema = z.object({
  language: z.enum(['en', 'ko']).nullable(),
  theme: z.enum(['system', 'light', 'dark']).nullable(),
});
export type UiPrefs = z.infer<typeof uiPrefsSchema>;

/** Where an upload was stored: the path to hand to requests that take an image path (search.byImage). */
export const uploadReplySchema = z.object({ path: z.string() });
export type UploadReply = z.infer<typeof uploadReplySchema>;

export const appRequests = {
  /** Which shell serves the UI and what it can do. */
  'app.info': request(empty, appInfoSchema),
  /** The user's display preferences ([Note: display preferences]). */
  'app.prefs': request(empty, uiPrefsSchema),
  /** Changes the preferences named (null: back to following the browser/system); replies with them all. */
  'app.setPrefs': request(uiPrefsSchema.partial(), uiPrefsSchema),
  /** Shows the native folder dialog; null when the user cancelled. Desktop app only. */
  'app.pickFolder': request(empty, z.object({ path: z.string().nullable() })),
  /** Opens a photo in the system's viewer, or with reveal=true shows it in its folder. Desktop app only. */
  'app.openPhoto': request(z.object({ photoId: idSchema, reveal: z.boolean().default(false) }), ok),
  /**
   * Stores an image the user dropped or pasted (base64 bytes) in the engine's data folder, for requests that
   * take an image path (search.byImage): the renderer cannot hand over a path. Uploads are deleted after an
   * hour. The desktop app's way (IPC, one user); web mode refuses it and streams the raw bytes instead, to
   * UPLOAD_ROUTE, with the same reply. [Note: streamed uploads]
   */
  'app.uploadImage': request(
    z.object({
      name: z.string().max(255),
      /** The file's bytes, base64-encoded; at most MAX_UPLOAD_BYTES decoded. */
      data: z.string().min(1).max(41_000_000),
    }),
    uploadReplySchema,
  ),
  /**
   * The file behind an image URL (see renderer lib/api/images.ts): the original photo, or a cached preview,
   * grid thumbnail or face crop, made on first use. Hosts check the path against the image allow-list
   * before serving it.
   */
  'images.file': request(
    z.object({ kind: imageKindSchema, id: idSchema }),
    z.object({ path: z.string(), mime: z.string() }),
  ),
} as const;
