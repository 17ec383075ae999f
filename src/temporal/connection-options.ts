import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import path from 'node:path';
import { inspect } from 'node:util';
import { loadClientConfigProfile, type ClientConfigProfile, type ConfigDataSource } from '@temporalio/envconfig';
import type { TLSConfig } from '@temporalio/client';
import { z } from 'zod';
import { OsirisError } from '../errors.js';

/** The `temporal:` section of osiris.yaml. Paths are relative to the project; secrets are not accepted here. */
export const temporalConfigSchema = z
  .strictObject({
    /** host:port of an existing server; absent means the embedded dev server (unless the environment names one). */
    address: z.string().min(1).optional(),
    namespace: z.string().min(1).default('default'),
    port: z.number().int().min(1).max(65535).default(7233),
    ui_port: z.number().int().min(1).max(65535).default(8233),
    /** A profile of Temporal's environment configuration (temporal.toml), as `temporal --profile` uses. */
    profile: z.string().min(1).optional(),
    /** TLS / mTLS. `true` turns TLS on with the system's CAs. */
    tls: z
      .union([
        z.boolean(),
        z.strictObject({
          server_ca_cert: z.string().min(1).optional(),
          client_cert: z.string().min(1).optional(),
          client_key: z.string().min(1).optional(),
          server_name: z.string().min(1).optional(),
        }),
      ])
      .optional(),
  })
  .prefault({});

export type TemporalYamlConfig = z.infer<typeof temporalConfigSchema>;

/** A value that prints as `***` wherever it ends up (logs, JSON, util.inspect), so a key cannot leak by accident. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '***';
  }
  toJSON(): string {
    return '***';
  }
  [inspect.custom](): string {
    return 'Secret(***)';
  }
}

/** A certificate or key: a file or inline PEM, and the setting it came from (named in errors). */
export interface PemSource {
  setting: string;
  path?: string;
  data?: Secret;
}

export interface TemporalTarget {
  /** host:port; undefined when nothing names a server (the embedded dev server is used). */
  address?: string;
  namespace: string;
  /** Where the address came from, for messages. */
  addressSetting?: string;
  apiKey?: { value: Secret; setting: string };
  /** undefined: plaintext (unless an API key turns TLS on); false: explicitly off. */
  tls?: false | { serverCa?: PemSource; clientCert?: PemSource; clientKey?: PemSource; serverName?: string };
  grpcMeta?: Record<string, string>;
}

const ENV_TLS = {
  serverCa: 'TEMPORAL_TLS_SERVER_CA_CERT',
  clientCert: 'TEMPORAL_TLS_CLIENT_CERT',
  clientKey: 'TEMPORAL_TLS_CLIENT_KEY',
} as const;
const TOML_TLS = { serverCa: 'server_ca_cert', clientCert: 'client_cert', clientKey: 'client_key' } as const;
const PROFILE_TLS = { serverCa: 'serverCACert', clientCert: 'clientCert', clientKey: 'clientKey' } as const;
type PemField = keyof typeof ENV_TLS;
const PEM_FIELDS = Object.keys(ENV_TLS) as PemField[];

function fromDataSource(source: ConfigDataSource | undefined, setting: (kind: 'path' | 'data') => string): PemSource | undefined {
  if (!source) return undefined;
  // A blank variable (TEMPORAL_TLS_CLIENT_CERT_PATH=) means unset, as for the other settings.
  if ('path' in source && !source.path.trim()) return undefined;
  if ('data' in source && source.data.length === 0) return undefined;
  if ('path' in source) return { setting: setting('path'), path: source.path };
  const data = typeof source.data === 'string' ? source.data : Buffer.from(source.data).toString('utf8');
  return { setting: setting('data'), data: new Secret(data) };
}

function loadProfile(options: Parameters<typeof loadClientConfigProfile>[0], label: string): ClientConfigProfile {
  try {
    return loadClientConfigProfile(options);
  } catch (err) {
    throw new OsirisError('CONFIG_INVALID', `${label}: ${(err as Error).message}`, {
      hint: 'Fix the Temporal environment configuration (temporal.toml, TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE) or unset it.',
      cause: err,
    });
  }
}

/**
 * Where Osiris connects, merged the way the `temporal` CLI does: a temporal.toml profile, then
 * osiris.yaml's `temporal:` section, then the TEMPORAL_* environment variables (each wins over the
 * one before). Every value remembers its setting so errors can say which one to fix.
 */
export function resolveTemporalTarget(yaml: TemporalYamlConfig, env: NodeJS.ProcessEnv, projectDir: string): TemporalTarget {
  const envVars = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const profileName = yaml.profile ?? envVars.TEMPORAL_PROFILE;
  const profileLabel = `profile "${profileName ?? 'default'}" in ${envVars.TEMPORAL_CONFIG_FILE ?? 'temporal.toml'}`;
  const file = loadProfile({ profile: yaml.profile, disableEnv: true, overrideEnvVars: envVars }, profileLabel);
  const fromEnv = loadProfile({ disableFile: true, overrideEnvVars: envVars }, 'Temporal environment variables');
  // loadClientConfigProfile fills nothing from empty strings only when unset; treat blank values as unset.
  const nonBlank = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);

  const target: TemporalTarget = { namespace: 'default' };
  const pick = (key: 'address' | 'namespace', yamlValue: string | undefined, envName: string) => {
    const envValue = nonBlank(fromEnv[key]);
    if (envValue) return { value: envValue, setting: envName };
    if (yamlValue) return { value: yamlValue, setting: `temporal.${key} in osiris.yaml` };
    const fileValue = nonBlank(file[key]);
    if (fileValue) return { value: fileValue, setting: `${key} of ${profileLabel}` };
    return undefined;
  };
  const address = pick('address', yaml.address, 'TEMPORAL_ADDRESS');
  if (address) {
    target.address = address.value;
    target.addressSetting = address.setting;
  }
  // osiris.yaml's namespace has a default; the environment and an explicit profile still win over it.
  target.namespace = nonBlank(fromEnv.namespace) ?? (yaml.namespace !== 'default' ? yaml.namespace : nonBlank(file.namespace) ?? yaml.namespace);

  const apiKey = nonBlank(fromEnv.apiKey) ? { v: fromEnv.apiKey!, s: 'TEMPORAL_API_KEY' } : nonBlank(file.apiKey) ? { v: file.apiKey!, s: `api_key of ${profileLabel}` } : undefined;
  if (apiKey) target.apiKey = { value: new Secret(apiKey.v.trim()), setting: apiKey.s };
  const grpcMeta = { ...file.grpcMeta, ...fromEnv.grpcMeta };
  if (Object.keys(grpcMeta).length > 0) target.grpcMeta = grpcMeta;

  const layers: { disabled?: boolean; serverName?: string; pem: Partial<Record<PemField, PemSource>>; nameSetting: string }[] = [];
  if (file.tls) {
    if ((file.tls as { disableHostVerification?: boolean }).disableHostVerification) refuseHostVerificationOff(profileLabel);
    layers.push({
      disabled: file.tls.disabled,
      serverName: file.tls.serverName,
      nameSetting: `tls.server_name of ${profileLabel}`,
      pem: Object.fromEntries(PEM_FIELDS.map((f) => [f, fromDataSource(file.tls![PROFILE_TLS[f]], (k) => `tls.${TOML_TLS[f]}_${k} of ${profileLabel}`)])),
    });
  }
  if (yaml.tls !== undefined) {
    const t = yaml.tls;
    layers.push(
      typeof t === 'boolean'
        ? { disabled: !t, pem: {}, nameSetting: '' }
        : {
            disabled: false,
            serverName: t.server_name,
            nameSetting: 'temporal.tls.server_name in osiris.yaml',
            pem: Object.fromEntries(
              PEM_FIELDS.map((f) => [f, t[TOML_TLS[f]] ? { setting: `temporal.tls.${TOML_TLS[f]} in osiris.yaml`, path: path.resolve(projectDir, t[TOML_TLS[f]]!) } : undefined]),
            ),
          },
    );
  }
  if (fromEnv.tls) {
    if (envVars.TEMPORAL_TLS_DISABLE_HOST_VERIFICATION === 'true' || envVars.TEMPORAL_TLS_DISABLE_HOST_VERIFICATION === '1') refuseHostVerificationOff('TEMPORAL_TLS_DISABLE_HOST_VERIFICATION');
    layers.push({
      disabled: fromEnv.tls.disabled,
      serverName: fromEnv.tls.serverName,
      nameSetting: 'TEMPORAL_TLS_SERVER_NAME',
      pem: Object.fromEntries(PEM_FIELDS.map((f) => [f, fromDataSource(fromEnv.tls![PROFILE_TLS[f]], (k) => `${ENV_TLS[f]}_${k.toUpperCase()}`)])),
    });
  }
  if (layers.length > 0) {
    const last = [...layers].reverse().find((l) => l.disabled !== undefined);
    const anyPem = layers.some((l) => Object.values(l.pem).some(Boolean) || l.serverName);
    if (last?.disabled === true) target.tls = false;
    else if (last?.disabled === false || anyPem) {
      const tls: Exclude<TemporalTarget['tls'], false | undefined> = {};
      for (const l of layers) {
        for (const f of PEM_FIELDS) if (l.pem[f]) tls[f] = l.pem[f];
        if (l.serverName) tls.serverName = l.serverName;
      }
      target.tls = tls;
    }
  }
  return target;
}

function refuseHostVerificationOff(setting: string): never {
  throw new OsirisError('CONFIG_INVALID', `${setting}: turning off host verification is not supported by the TypeScript SDK`, {
    hint: 'Set the server name the certificate was issued for instead (TEMPORAL_TLS_SERVER_NAME or temporal.tls.server_name).',
  });
}

function readPem(source: PemSource): Buffer {
  if (source.data) return Buffer.from(source.data.reveal());
  try {
    return readFileSync(source.path!);
  } catch (err) {
    throw new OsirisError('CONFIG_INVALID', `${source.setting}: cannot read ${source.path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      hint: `Point ${source.setting} at a readable PEM file.`,
    });
  }
}

/** Connection options shared by the Client's Connection and the workers' NativeConnection. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
  metadata?: Record<string, string>;
}

/**
 * The one place connection options are built. Certificates and keys are read and checked here,
 * before any network call, so a wrong file fails at once naming its setting.
 */
export function buildConnectionOptions(target: TemporalTarget, address: string): TemporalConnectionOptions {
  const options: TemporalConnectionOptions = { address };
  if (target.grpcMeta) options.metadata = target.grpcMeta;
  if (target.apiKey) options.apiKey = target.apiKey.value.reveal();
  if (target.tls === false) {
    options.tls = false;
  } else if (target.tls) {
    const t = target.tls;
    const tls: TLSConfig = {};
    if (t.serverName) tls.serverNameOverride = t.serverName;
    if (t.serverCa) tls.serverRootCACertificate = checkCertificate(t.serverCa, readPem(t.serverCa));
    if (t.clientCert || t.clientKey) {
      if (!t.clientCert || !t.clientKey) {
        const missing = t.clientCert ? 'client key' : 'client certificate';
        const given = (t.clientCert ?? t.clientKey)!.setting;
        throw new OsirisError('CONFIG_INVALID', `${given} is set but the ${missing} is not`, {
          hint: 'mTLS needs both: TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH (or temporal.tls.client_cert and client_key).',
        });
      }
      const crt = readPem(t.clientCert);
      const key = readPem(t.clientKey);
      checkKeyPair(t.clientCert, crt, t.clientKey, key);
      tls.clientCertPair = { crt, key };
    }
    options.tls = tls;
  } else if (target.apiKey) {
    // Temporal Cloud's API keys go over TLS only (as the SDK's envconfig does).
    options.tls = true;
  }
  return options;
}

function checkCertificate(source: PemSource, pem: Buffer): Buffer {
  try {
    new X509Certificate(pem);
  } catch (err) {
    throw new OsirisError('CONFIG_INVALID', `${source.setting}: not a PEM certificate (${(err as Error).message})`, {
      hint: `Point ${source.setting} at a PEM file that begins with -----BEGIN CERTIFICATE-----.`,
    });
  }
  return pem;
}

function checkKeyPair(certSource: PemSource, crt: Buffer, keySource: PemSource, key: Buffer): void {
  checkCertificate(certSource, crt);
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    // The error text could quote key material: say only what is wrong.
    throw new OsirisError('CONFIG_INVALID', `${keySource.setting}: not a PEM private key`, {
      hint: `Point ${keySource.setting} at the private key of the client certificate (PEM, unencrypted).`,
    });
  }
  if (!new X509Certificate(crt).checkPrivateKey(privateKey)) {
    throw new OsirisError('CONFIG_INVALID', `${keySource.setting} is not the key of the certificate in ${certSource.setting}`, {
      hint: 'Use the key pair the client certificate was issued for.',
    });
  }
}

/** The messages and the gRPC status code along an error's cause chain. */
function describeChain(err: unknown): { message: string; code?: number } {
  const messages: string[] = [];
  let code: number | undefined;
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof Error) messages.push(e.message);
    const c = (e as { code?: unknown }).code;
    if (code === undefined && typeof c === 'number') code = c;
  }
  return { message: messages.join(': '), code };
}

/**
 * gRPC reports a refused TLS handshake only as "failed to connect before the deadline"; one plain
 * TLS connection with the same settings says what was refused: the server's certificate or ours.
 */
async function probeTls(options: TemporalConnectionOptions): Promise<string | undefined> {
  if (!options.tls) return undefined;
  const tlsOptions = options.tls === true ? {} : options.tls;
  const [host, port] = splitAddress(options.address);
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host,
      port,
      servername: tlsOptions.serverNameOverride ?? (isIP(host) ? undefined : host),
      ca: asBuffer(tlsOptions.serverRootCACertificate),
      cert: asBuffer(tlsOptions.clientCertPair?.crt),
      key: asBuffer(tlsOptions.clientCertPair?.key),
      ALPNProtocols: ['h2'],
    });
    const done = (result: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    // TLS 1.3 servers reject a client certificate after the handshake: wait briefly for their alert.
    socket.once('secureConnect', () => {
      // An HTTP/2 server speaks first (SETTINGS); one that hangs up instead refused our certificate.
      socket.once('data', () => done(undefined));
      socket.once('end', () => done('the server closed the connection after the handshake (client certificate refused)'));
      setTimeout(() => done(undefined), 1000);
    });
    // A network error (refused, unknown host) is not a TLS problem: the generic message covers it.
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.syscall ? undefined : e.message));
    const timer = setTimeout(() => done(undefined), 4000);
  });
}

const asBuffer = (b: Uint8Array | undefined) => (b ? Buffer.from(b) : undefined);

function splitAddress(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i).replace(/^\[|\]$/g, ''), Number(address.slice(i + 1))];
}

/** Turns a failed first call into an error that names the setting most likely at fault; never quotes a secret. */
export async function explainConnectError(err: unknown, target: TemporalTarget, options: TemporalConnectionOptions, namespace: string): Promise<OsirisError> {
  if (err instanceof OsirisError) return err;
  const { message, code } = describeChain(err);
  const where = `Temporal at ${options.address} (namespace ${namespace})`;
  const tls = target.tls || undefined;
  if (code === 16 || /unauthenticated|api key/i.test(message)) {
    const setting = target.apiKey?.setting ?? (tls?.clientCert ? `${tls.clientCert.setting} / ${tls.clientKey?.setting}` : 'TEMPORAL_API_KEY');
    return new OsirisError('TEMPORAL_UNAVAILABLE', `${where} refused the credentials: check ${setting}`, {
      hint: target.apiKey ? `The server does not accept the key in ${target.apiKey.setting}; create a new API key for namespace ${namespace}.` : `Set ${setting} to credentials the server accepts.`,
      cause: err,
    });
  }
  if (code === 7) {
    return new OsirisError('TEMPORAL_UNAVAILABLE', `${where}: permission denied for namespace ${namespace}`, {
      hint: 'Check TEMPORAL_NAMESPACE / temporal.namespace and the permissions of the API key or certificate.',
      cause: err,
    });
  }
  const tlsError = (await probeTls(options)) ?? (/certificate|handshake|ssl|alert/i.test(message) ? message : undefined);
  if (tlsError) {
    const serverSide = /self.signed|unable to (verify|get)|certificate verify|unknown ?issuer|altnames|hostname|not valid for/i.test(tlsError);
    const nameProblem = /altnames|hostname|not valid for/i.test(tlsError);
    const setting = nameProblem
      ? (tls?.serverName ? 'TEMPORAL_TLS_SERVER_NAME / temporal.tls.server_name' : 'TEMPORAL_TLS_SERVER_NAME (the name in the server certificate)')
      : serverSide
        ? (tls?.serverCa?.setting ?? 'TEMPORAL_TLS_SERVER_CA_CERT_PATH (the CA that signed the server certificate)')
        : tls?.clientCert
          ? `${tls.clientCert.setting} / ${tls.clientKey?.setting}`
          : 'TEMPORAL_TLS_CLIENT_CERT_PATH / TEMPORAL_TLS_CLIENT_KEY_PATH (the server demands a client certificate)';
    return new OsirisError('TEMPORAL_UNAVAILABLE', `TLS with ${where} failed: check ${setting}`, {
      hint: `The TLS handshake failed: ${oneLine(tlsError)}.`,
      cause: err,
    });
  }
  return new OsirisError('TEMPORAL_UNAVAILABLE', `Cannot reach ${where}: ${oneLine(message)}`, {
    hint: `Check ${target.addressSetting ?? 'TEMPORAL_ADDRESS / temporal.address in osiris.yaml'} and that the server is running (\`osiris server\` starts one).${target.tls || target.apiKey ? '' : ' A server that needs TLS: set TEMPORAL_TLS=true (or temporal.tls).'}`,
    cause: err,
  });
}

function oneLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 300);
}

/**
 * Connection options for the project in `projectDir` (temporal.toml profile, osiris.yaml, TEMPORAL_*),
 * for a user's own `NativeConnection.connect` / `Connection.connect` next to the Osiris plugin.
 */
export function projectConnectionOptions(config: { temporalTarget: TemporalTarget; temporalAddress: string; embedded: boolean; temporal: { namespace: string } }): TemporalConnectionOptions & { namespace: string } {
  const target = config.embedded ? { namespace: config.temporal.namespace } : config.temporalTarget;
  return { ...buildConnectionOptions(target, config.temporalAddress), namespace: config.temporal.namespace };
}
