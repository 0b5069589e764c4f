/**
 * The decoding thread (see decode-thread.ts): decodes each profile it is sent and sends back its
 * columns, or why it was refused.
 */
import { parentPort } from 'node:worker_threads';
import { columnsMessage } from '../pprof/columns-transfer';
import { decodeColumns } from '../pprof/decode';
import { isProfileError } from '../pprof/errors';
import type { DecodeReply, DecodeRequest } from './decode-thread';

const port = parentPort;
if (port === null) throw new Error('decode-thread-entry runs as a worker thread, started by DecodeThread');

port.on('message', ({ id, bytes, maxBytes }: DecodeRequest) => {
  try {
    const { message, transfer } = columnsMessage(decodeColumns(bytes, { maxBytes }));
    port.postMessage({ id, columns: message } satisfies DecodeReply, transfer);
  } catch (err) {
    port.postMessage(failure(id, err));
  }
});

function failure(id: number, err: unknown): DecodeReply {
  if (isProfileError(err)) return { id, refused: { code: err.code, message: err.message } };
  return { id, failed: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}
