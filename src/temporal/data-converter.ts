import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { AesGcmCodec, loadCodecKeys } from './codec.js';

let cached: { settings: string; codecs: PayloadCodec[] } | undefined;

/**
 * The payload codecs every client and worker Osiris creates uses: AES-256-GCM when codec keys are
 * configured (OSIRIS_CODEC_KEYS / OSIRIS_CODEC_KEY_FILE), none otherwise. Read once per settings.
 */
export function osirisPayloadCodecs(env: NodeJS.ProcessEnv = process.env): PayloadCodec[] {
  const settings = `${env.OSIRIS_CODEC_KEYS ?? ''}\0${env.OSIRIS_CODEC_KEY_FILE ?? ''}\0${process.cwd()}`;
  if (cached?.settings !== settings) {
    const keys = loadCodecKeys(env);
    cached = { settings, codecs: keys.length > 0 ? [new AesGcmCodec(keys)] : [] };
  }
  return cached.codecs;
}

/**
 * Which payload keys this process uses, by id ("" when encryption is off): a process with other keys
 * cannot read what this one writes, so the project worker is restarted when they differ.
 */
export function payloadKeyIds(env: NodeJS.ProcessEnv = process.env): string {
  return loadCodecKeys(env).map((k) => k.id).join(',');
}

/** For `Client`/`Worker.create` options: undefined (the SDK default) when encryption is off. */
export function osirisDataConverter(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  const payloadCodecs = osirisPayloadCodecs(env);
  return payloadCodecs.length > 0 ? { payloadCodecs } : undefined;
}

/** Decodes raw payloads read outside the SDK's conversion (e.g. heartbeat details from describe()). */
export async function decodeRawPayloads(payloads: Payload[], env: NodeJS.ProcessEnv = process.env): Promise<Payload[]> {
  let out = payloads;
  for (const codec of [...osirisPayloadCodecs(env)].reverse()) out = await codec.decode(out);
  return out;
}
