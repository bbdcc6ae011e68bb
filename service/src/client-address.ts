import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';

const PLAIN_IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const IPV4_WITH_PORT = /^(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}):\d{1,5}$/;
const BRACKETED_IPV6 = /^\[([^\]]+)\](?::\d{1,5})?$/;

/**
 * One key per client for limits: App Service's front end appends `ip:port` to X-Forwarded-For
 * (`1.2.3.4:5678`, `[2001:db8::1]:5678`), so ports go; IPv4-mapped IPv6 (`::ffff:1.2.3.4`, how Node
 * reports IPv4 peers on a dual-stack socket) becomes IPv4; IPv6 counts per /64, the block one
 * subscriber gets, so rotating addresses inside it is one client. Not an address: undefined.
 */
export function normaliseAddress(raw: string): string | undefined {
  let text = raw.trim();
  if (PLAIN_IPV4.test(text) && ipaddr.IPv4.isValidFourPartDecimal(text)) return text;
  const v4 = IPV4_WITH_PORT.exec(text);
  const v6 = BRACKETED_IPV6.exec(text);
  if (v4) text = v4[1];
  else if (v6) text = v6[1];
  text = text.replace(/%.*$/, '');
  if (!ipaddr.isValid(text)) return undefined;
  const address = ipaddr.process(text);
  if (address.kind() === 'ipv4') return address.toString();
  const parts = (address as ipaddr.IPv6).parts;
  return `${parts.slice(0, 4).map((p) => p.toString(16)).join(':')}::/64`;
}

const CLIENT = Symbol('client address');

/**
 * The client a request comes from, normalised (computed once per request: admission control and the
 * rate limiter both ask). Behind a trusted proxy it is the last
 * X-Forwarded-For entry (the one the proxy appended; earlier ones are the client's own claims),
 * else the peer address.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const known = req as IncomingMessage & { [CLIENT]?: string };
  known[CLIENT] ??= findClientAddress(req, trustProxy);
  return known[CLIENT];
}

function findClientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    if (typeof forwarded === 'string' && forwarded !== '') {
      const last = normaliseAddress(forwarded.slice(forwarded.lastIndexOf(',') + 1));
      if (last !== undefined) return last;
    }
  }
  const peer = req.socket.remoteAddress;
  return (peer !== undefined && normaliseAddress(peer)) || 'unknown';
}
