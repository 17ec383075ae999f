import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Payload, PayloadCodec } from '@temporalio/common';

import proto from '@temporalio/proto';
import { OsirisError } from '../errors.js';

const ProtoPayload = proto.temporal.api.common.v1.Payload;
const utf8Encode = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const utf8Decode = (b: Uint8Array) => Buffer.from(b).toString('utf8');

/** The metadata encoding of an encrypted payload and the key that encrypted it (as in Temporal's samples). */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface CodecKey {
  id: string;
  key: Buffer;
}

/**
 * AES-256-GCM over the whole serialized payload (data and metadata, so nothing of the value or its
 * type shows). Several keys for rotation: encrypts with the last (newest), decrypts with any.
 */
export class AesGcmCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;
  private readonly newest: CodecKey;

  constructor(keys: CodecKey[]) {
    if (keys.length === 0) throw new Error('AesGcmCodec needs at least one key');
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
    this.newest = keys[keys.length - 1]!;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.newest.key, iv);
      const plain = ProtoPayload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: utf8Encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8Encode(this.newest.id) }, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding;
      if (!encoding || utf8Decode(encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
      const keyId = keyIdBytes ? utf8Decode(keyIdBytes) : '';
      const key = this.byId.get(keyId);
      if (!key) {
        throw new OsirisError('CONFIG_INVALID', `A payload is encrypted with key "${keyId}", which is not among the configured codec keys (${[...this.byId.keys()].join(', ')})`, {
          hint: `Add key "${keyId}" to OSIRIS_CODEC_KEYS or the OSIRIS_CODEC_KEY_FILE; keep old keys after rotating so older runs stay readable.`,
        });
      }
      const data = Buffer.from(payload.data ?? []);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return ProtoPayload.decode(plain);
    });
  }
}

/**
 * Keys as `id=base64key` entries (32 bytes each), separated by commas or newlines, oldest first:
 * from OSIRIS_CODEC_KEYS, or from the file named by OSIRIS_CODEC_KEY_FILE (never from osiris.yaml,
 * which is committed). No keys: payloads stay in clear, as before.
 */
export function loadCodecKeys(env: NodeJS.ProcessEnv, baseDir: string = process.cwd()): CodecKey[] {
  const inline = env.OSIRIS_CODEC_KEYS?.trim();
  const file = env.OSIRIS_CODEC_KEY_FILE?.trim();
  if (inline && file) {
    throw new OsirisError('CONFIG_INVALID', 'Both OSIRIS_CODEC_KEYS and OSIRIS_CODEC_KEY_FILE are set', { hint: 'Set one of them.' });
  }
  if (!inline && !file) return [];
  let text = inline ?? '';
  const setting = inline ? 'OSIRIS_CODEC_KEYS' : 'OSIRIS_CODEC_KEY_FILE';
  if (file) {
    const filePath = path.resolve(baseDir, file);
    try {
      text = readFileSync(filePath, 'utf8');
    } catch (err) {
      throw new OsirisError('CONFIG_INVALID', `OSIRIS_CODEC_KEY_FILE: cannot read ${filePath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
        hint: 'Point OSIRIS_CODEC_KEY_FILE at a readable file of `id=base64key` lines.',
      });
    }
  }
  const entries = text
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e && !e.startsWith('#'));
  const keys: CodecKey[] = [];
  entries.forEach((entry, i) => {
    const eq = entry.indexOf('=');
    const id = eq > 0 ? entry.slice(0, eq).trim() : '';
    const hint = 'Each entry is `id=base64key` with a 32-byte key: `echo "k1=$(openssl rand -base64 32)"`.';
    // Never quote the entry: it holds the key (a bare base64 key would pass for an id before its padding).
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id) || eq === entry.length - 1 || /^=*$/.test(entry.slice(eq + 1))) {
      throw new OsirisError('CONFIG_INVALID', `${setting} entry ${i + 1}: expected \`id=base64key\`, with an id of 1-64 letters, digits, '.', '_' or '-'`, { hint });
    }
    const where = `${setting} entry ${i + 1} ("${id}")`;
    const key = Buffer.from(entry.slice(eq + 1).trim(), 'base64');
    if (key.length !== 32) throw new OsirisError('CONFIG_INVALID', `${where}: the key is ${key.length} bytes after base64 decoding, not 32`, { hint });
    if (keys.some((k) => k.id === id)) throw new OsirisError('CONFIG_INVALID', `${where}: key id "${id}" appears twice`, { hint: 'Give every key its own id.' });
    keys.push({ id, key });
  });
  if (keys.length === 0) throw new OsirisError('CONFIG_INVALID', `${setting} holds no key`, { hint: 'Add an `id=base64key` entry, or unset it.' });
  return keys;
}
