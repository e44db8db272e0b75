/**
 * Hands an image the user dropped or pasted to the engine, which stores it for search.byImage.
 * [Note: streamed uploads]: in web mode the File itself is the body of POST upload (the browser streams
 * it; nothing is base64-encoded or held twice); the desktop app sends it over IPC as app.uploadImage.
 * Both reply with the contract's upload reply. Too large a file is refused here before it is sent.
 */
import type { UploadReply } from '../../../../main/api/app';
import { MAX_UPLOAD_BYTES, UPLOAD_ROUTE } from '../../../../main/api/upload-route';
import { api } from './client';
import { ApiError, replyOf } from './web-client';

/** Reads a File as base64 (without the data: prefix) for app.uploadImage. */
function toBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === 'string' ? reader.result : '';
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => {
      reject(reader.error ?? new Error('Could not read the image'));
    };
    reader.readAsDataURL(file);
  });
}

export async function uploadImage(file: File): Promise<UploadReply> {
  if (file.size > MAX_UPLOAD_BYTES) {
    const mb = Math.round(MAX_UPLOAD_BYTES / 1024 / 1024);
    throw new ApiError(`The image is larger than ${mb} MB.`, 413, 'bad_request', {
      key: 'err.upload.tooLarge',
      params: { mb },
    });
  }
  if (window.visage) {
    return api['app.uploadImage']({ name: file.name || 'pasted.png', data: await toBase64(file) });
  }
  const res = await fetch(UPLOAD_ROUTE.slice(1), {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream' },
    body: file,
    credentials: 'same-origin',
  });
  return (await replyOf(res, 'upload')) as UploadReply;
}
