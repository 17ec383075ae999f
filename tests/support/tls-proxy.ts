import { execFileSync } from 'node:child_process';
import http2 from 'node:http2';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface TestCerts {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A client certificate signed by a CA the proxy does not trust. */
  rogueClientCert: string;
  rogueClientKey: string;
  /** The DNS name in the server certificate (the proxy listens on 127.0.0.1, so clients override it). */
  serverName: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

function issue(dir: string, name: string, ca: { cert: string; key: string }, subject: string, ext: string): void {
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
  writeFileSync(path.join(dir, `${name}.ext`), ext);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-days', '2', '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir);
}

function makeCa(dir: string, name: string): { cert: string; key: string } {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  return { cert: `${name}.crt`, key: `${name}.key` };
}

/** A CA, a server certificate for `temporal.test`, a client certificate, and one from a rogue CA (openssl CLI). */
export function generateTestCerts(): TestCerts {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'osiris-certs-'));
  const serverName = 'temporal.test';
  const ca = makeCa(dir, 'ca');
  const rogue = makeCa(dir, 'rogue-ca');
  issue(dir, 'server', ca, `/CN=${serverName}`, `subjectAltName=DNS:${serverName}\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n`);
  const clientExt = 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\nsubjectAltName=DNS:osiris-client\n';
  issue(dir, 'client', ca, '/CN=osiris-client', clientExt);
  issue(dir, 'rogue-client', rogue, '/CN=osiris-client', clientExt);
  const p = (f: string) => path.join(dir, f);
  return {
    dir,
    caCert: p('ca.crt'),
    serverCert: p('server.crt'),
    serverKey: p('server.key'),
    clientCert: p('client.crt'),
    clientKey: p('client.key'),
    rogueClientCert: p('rogue-client.crt'),
    rogueClientKey: p('rogue-client.key'),
    serverName,
  };
}

export interface TlsProxy {
  address: string;
  /** gRPC requests forwarded to the server. */
  forwarded: number;
  /** Requests refused for a missing or wrong `authorization` header. */
  refused: number;
  /** Client certificate subjects seen on forwarded requests. */
  peerSubjects: Set<string>;
  close(): Promise<void>;
}

/**
 * A TLS-terminating HTTP/2 proxy in front of the plaintext dev server, standing in for a secured
 * cluster or Temporal Cloud: it demands a client certificate signed by the test CA (mTLS), and/or
 * checks that every gRPC request carries `authorization: Bearer <apiKey>`.
 */
export async function startTlsProxy(options: { upstream: string; certs: TestCerts; requireClientCert: boolean; apiKey?: string }): Promise<TlsProxy> {
  const { certs } = options;
  // The server ends its connections after a while (the frontend's max connection age, a GOAWAY):
  // a fresh session is opened whenever the last one is gone, as a real gRPC proxy would.
  let upstreamSession: http2.ClientHttp2Session | undefined;
  const upstream = (): http2.ClientHttp2Session => {
    if (!upstreamSession || upstreamSession.closed || upstreamSession.destroyed) {
      const session = http2.connect(`http://${options.upstream}`);
      session.on('error', () => {});
      session.on('goaway', () => session.close());
      upstreamSession = session;
    }
    return upstreamSession;
  };
  const server = http2.createSecureServer({
    key: readFileSync(certs.serverKey),
    cert: readFileSync(certs.serverCert),
    ca: readFileSync(certs.caCert),
    requestCert: options.requireClientCert,
    rejectUnauthorized: options.requireClientCert,
  });
  const proxy: TlsProxy = { address: '', forwarded: 0, refused: 0, peerSubjects: new Set(), close: async () => {} };
  server.on('stream', (stream, headers) => {
    if (options.apiKey !== undefined && headers.authorization !== `Bearer ${options.apiKey}`) {
      proxy.refused++;
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '16', 'grpc-message': 'invalid API key' }, { endStream: true });
      return;
    }
    proxy.forwarded++;
    const peer = (stream.session?.socket as import('node:tls').TLSSocket | undefined)?.getPeerCertificate?.();
    if (peer?.subject?.CN) proxy.peerSubjects.add(String(peer.subject.CN));
    const forward: http2.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(headers)) if (k !== ':authority' && k !== ':scheme') forward[k] = v;
    const req = upstream().request(forward);
    let trailers: http2.IncomingHttpHeaders | undefined;
    req.on('response', (h) => {
      if (stream.destroyed) return;
      const out = { ...h };
      // A trailers-only response (an error with no body) carries grpc-status in its headers.
      if (h['grpc-status'] !== undefined) stream.respond(out, { endStream: true });
      else stream.respond(out, { waitForTrailers: true });
    });
    req.on('trailers', (t) => (trailers = t));
    stream.on('wantTrailers', () => {
      const t: http2.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(trailers ?? {})) if (!k.startsWith(':')) t[k] = v;
      stream.sendTrailers(t);
    });
    req.on('data', (chunk: Buffer) => {
      if (!stream.destroyed && stream.headersSent) stream.write(chunk);
    });
    req.on('end', () => {
      if (!stream.destroyed && stream.headersSent && !stream.writableEnded) stream.end();
    });
    stream.on('data', (chunk: Buffer) => req.write(chunk));
    stream.on('end', () => req.end());
    req.on('error', () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
    stream.on('error', () => {});
    stream.on('close', () => {
      if (!req.closed) req.close(http2.constants.NGHTTP2_CANCEL);
    });
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  server.on('sessionError', () => {});
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = async () => {
    // Open sessions (workers' long polls) would hold close() forever.
    for (const s of sessions) s.destroy();
    upstreamSession?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return proxy;
}
