/**
 * Web mode's upload route, apart from the zod schemas so the renderer can import it without them.
 *
 * [Note: streamed uploads] An image the user drops into search reaches the engine as a file in its uploads
 * folder. Web mode takes it as the raw bytes of `POST <UPLOAD_ROUTE>` (not base64 JSON), written to disk as
 * they arrive: the first bytes are sniffed before anything is stored, the body may be at most
 * MAX_UPLOAD_BYTES, a few uploads run at once (more are refused with 503, Retry-After), and a refused,
 * aborted or failed upload leaves no file. So a client's memory cost is a few socket buffers, whatever it
 * sends. The desktop app sends base64 over IPC (app.uploadImage). Both reply with `uploadReplySchema`.
 */
export const UPLOAD_ROUTE = '/upload';
/** The largest image an upload may be (30 MiB). */
export const MAX_UPLOAD_BYTES = 30 * 1024 * 1024;
