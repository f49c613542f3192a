import Busboy from 'busboy';
import { HttpError } from './http';

// Form bodies (Mailgun posts inbound mail as multipart/form-data, or urlencoded): the text
// fields, by name. Attachments are read past and dropped: the case keeps the words.

export async function formFields(rawBody: Buffer, contentType: string | undefined): Promise<Record<string, string>> {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(rawBody.toString('utf8')));
  if (type !== 'multipart/form-data') {
    throw new HttpError(415, 'unsupported_media_type', 'Send the form as multipart/form-data or application/x-www-form-urlencoded.');
  }
  return new Promise((resolve, reject) => {
    const out: Record<string, string> = {};
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({ headers: { 'content-type': contentType! }, limits: { fieldSize: 2_000_000, fields: 500 } });
    } catch (err) {
      reject(new HttpError(400, 'invalid_payload', `The form cannot be read: ${(err as Error).message}`));
      return;
    }
    bb.on('field', (name, value) => {
      if (!Object.hasOwn(out, name)) out[name] = value;
    });
    bb.on('file', (_name, stream) => stream.resume());
    bb.on('error', (err) => reject(new HttpError(400, 'invalid_payload', `The form cannot be read: ${(err as Error).message}`)));
    bb.on('close', () => resolve(out));
    bb.end(rawBody);
  });
}
