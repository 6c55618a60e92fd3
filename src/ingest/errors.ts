// The one error type the ingest stage throws. The caller prefixes the file name to the message.

export type IngestErrorCode =
  | 'empty' // zero bytes, or nothing but whitespace
  | 'binary' // not text: NUL bytes, a known binary signature, or mostly control characters
  | 'too_large' // over MAX_BYTES
  | 'no_text' // decoded fine, but no article text could be found
  | 'bad_option'; // an option given by the caller is malformed

export class IngestError extends Error {
  readonly code: IngestErrorCode;

  constructor(code: IngestErrorCode, message: string) {
    super(message);
    this.name = 'IngestError';
    this.code = code;
  }
}
