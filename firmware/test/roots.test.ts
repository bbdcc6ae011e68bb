/**
 * The pinned roots (ESP32_to_cloud/azure_roots.h) are exactly the root CAs of Microsoft's "Azure
 * Certificate Authority details" (https://learn.microsoft.com/azure/security/fundamentals/azure-ca-details),
 * identified by the SHA-1 thumbprints that page publishes, RSA and ECC alike, and none expires soon.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const HEADER = path.resolve(__dirname, '..', 'ESP32_to_cloud', 'azure_roots.h');

// Name and SHA-1 thumbprint as Microsoft's page lists them.
const DOCUMENTED = new Map([
  ['DigiCert Global Root CA', 'A8985D3A65E5E5C4B2D7D66D40C6DD2FB19C5436'],
  ['DigiCert Global Root G2', 'DF3C24F9BFD666761B268073FE06D1CC8D4F82A4'],
  ['DigiCert Global Root G3', '7E04DE896A3E666D00E687D33FFAD93BE83D349E'],
  ['Entrust Root Certification Authority - G2', '8CF427FD790C3AD166068DE81E57EFBB932272D4'],
  ['Microsoft ECC Root Certificate Authority 2017', '999A64C37FF47D9FAB95F14769891460EEC4C3C5'],
  ['Microsoft RSA Root Certificate Authority 2017', '73A5E64A3BFF8316FF0EDCCC618A906E4EAE4D74'],
]);

/** The PEM text the C string literal holds, as mbedTLS receives it. */
function pinnedPem(): string {
  const literal = readFileSync(HEADER, 'utf8').split('WAND_AZURE_ROOT_CAS[] =')[1];
  return [...literal.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\n/g, '\n')).join('');
}

const certificates = pinnedPem()
  .split(/(?<=-----END CERTIFICATE-----\n)/)
  .filter((pem) => pem.includes('BEGIN CERTIFICATE'))
  .map((pem) => new X509Certificate(pem));
const commonName = (c: X509Certificate): string => /CN=([^\n]+)/.exec(c.subject)?.[1] ?? '';

describe('pinned Azure root CAs', () => {
  it("are exactly Microsoft's documented root CAs, by thumbprint", () => {
    const pinned = new Map(certificates.map((c) => [commonName(c), c.fingerprint.replace(/:/g, '')]));
    expect(pinned).toEqual(DOCUMENTED);
  });

  it('are self-signed roots of both key families (App Service may chain to RSA or ECC)', () => {
    for (const c of certificates) {
      expect(c.ca).toBe(true);
      expect(c.checkIssued(c)).toBe(true);
      expect(c.verify(c.publicKey)).toBe(true);
    }
    expect(new Set(certificates.map((c) => c.publicKey.asymmetricKeyType))).toEqual(new Set(['rsa', 'ec']));
  });

  it('none expires within a year', () => {
    const nextYear = Date.now() + 365 * 24 * 3600 * 1000;
    for (const c of certificates) expect(new Date(c.validTo).getTime()).toBeGreaterThan(nextYear);
  });
});
