import { checkPolicies, isoMinutes, type ResourceRecord } from '../policy/rules';

const SIG = { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270' };
const secret = (value: unknown) => ({ ...SIG, value });
const tags = { owner: 'o1', course: 'c', expiresOn: '2026-06-30', managedBy: 'pulumi' };
const rec = (type: string, inputs: Record<string, unknown>, name = 'r'): ResourceRecord => ({ urn: `urn:pulumi:dev::wandcloud::${type}::${name}`, type, custom: true, inputs });

const goodStorage = { enableHttpsTrafficOnly: true, minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false, allowSharedKeyAccess: true, tags };
const goodApp = { name: 'app', httpsOnly: true, siteConfig: { minTlsVersion: '1.2', scmMinTlsVersion: '1.2', ftpsState: 'Disabled' }, tags };
const publishing = [rec('azure-native:web:WebAppFtpAllowed', { name: 'app', allow: false }, 'ftp'), rec('azure-native:web:WebAppScmAllowed', { name: 'app', allow: false }, 'scm')];
const goodVault = { properties: { enableRbacAuthorization: true, softDeleteRetentionInDays: 7 }, tags };

function violations(resources: ResourceRecord[], knownSecrets: string[] = []) {
  return checkPolicies({ resources, knownSecrets }).map((v) => `${v.rule}: ${v.urn}`);
}

describe('policy checks', () => {
  it('pass a compliant set of resources', () => {
    expect(violations([rec('azure-native:storage:StorageAccount', goodStorage), rec('azure-native:web:WebApp', goodApp), ...publishing, rec('azure-native:keyvault:Vault', goodVault)])).toEqual([]);
  });

  it.each([
    ['https-only', rec('azure-native:storage:StorageAccount', { ...goodStorage, enableHttpsTrafficOnly: false }, 'st')],
    ['tls-1.2', rec('azure-native:storage:StorageAccount', { ...goodStorage, minimumTlsVersion: 'TLS1_0' }, 'st')],
    ['no-public-blob-access', rec('azure-native:storage:StorageAccount', { ...goodStorage, allowBlobPublicAccess: true }, 'st')],
    ['no-public-blob-access', rec('azure-native:storage:BlobContainer', { publicAccess: 'Blob' }, 'ct')],
    ['vault-retention', rec('azure-native:keyvault:Vault', { ...goodVault, properties: { ...goodVault.properties, softDeleteRetentionInDays: 90 } }, 'kv')],
    ['vault-retention', rec('azure-native:keyvault:Vault', { ...goodVault, properties: { ...goodVault.properties, enablePurgeProtection: true } }, 'kv')],
    ['vault-retention', rec('azure-native:keyvault:Vault', { ...goodVault, properties: { softDeleteRetentionInDays: 7 } }, 'kv')],
    ['tags', rec('azure-native:storage:StorageAccount', { ...goodStorage, tags: { owner: 'o1' } }, 'st')],
    ['tags', rec('azure-native:machinelearningservices:ModelVersion', { properties: { tags: {} } }, 'mv')],
    ['tags', rec('azure-native:cdn:Profile', { tags }, 'new-type')],
    ['secrets-marked-secret', rec('azure-native:keyvault:Secret', { properties: { value: 'plain' }, tags }, 'sec')],
    ['secrets-marked-secret', rec('azure-native:web:WebAppApplicationSettings', { name: 'app', properties: { WAND_API_KEY: 'k' } }, 'set')],
  ])('flag a %s violation with the resource URN', (rule, resource) => {
    expect(violations([resource])).toContain(`${rule}: ${resource.urn}`);
  });

  it('flag a web app without TLS 1.2, HTTPS only, disabled FTPS and both basic-auth policies', () => {
    const app = rec('azure-native:web:WebApp', goodApp, 'app');
    expect(violations([app])).toContain(`no-basic-auth-publishing: ${app.urn}`);
    expect(violations([app, publishing[0]])).toContain(`no-basic-auth-publishing: ${app.urn}`);
    expect(violations([rec('azure-native:web:WebApp', { ...goodApp, httpsOnly: false }, 'a'), ...publishing])).toContain('https-only: urn:pulumi:dev::wandcloud::azure-native:web:WebApp::a');
    expect(violations([rec('azure-native:web:WebApp', { ...goodApp, siteConfig: { ...goodApp.siteConfig, minTlsVersion: '1.0' } }, 'a'), ...publishing])).toContain('tls-1.2: urn:pulumi:dev::wandcloud::azure-native:web:WebApp::a');
    expect(violations([rec('azure-native:web:WebApp', { ...goodApp, siteConfig: { ...goodApp.siteConfig, ftpsState: 'FtpsOnly' } }, 'a'), ...publishing])).toContain('no-basic-auth-publishing: urn:pulumi:dev::wandcloud::azure-native:web:WebApp::a');
    expect(violations([rec('azure-native:web:WebAppScmAllowed', { name: 'app', allow: true }, 'scm')])).toContain('no-basic-auth-publishing: urn:pulumi:dev::wandcloud::azure-native:web:WebAppScmAllowed::scm');
  });

  it('flag a compute instance without a valid idle shutdown', () => {
    const compute = (idle: unknown) => rec('azure-native:machinelearningservices:Compute', { tags, properties: { computeType: 'ComputeInstance', properties: { idleTimeBeforeShutdown: idle } } }, 'ci');
    expect(violations([compute('PT30M')])).toEqual([]);
    expect(violations([compute('P3D')])).toEqual([]);
    for (const bad of [undefined, 'PT10M', 'P3DT1M', '30']) expect(violations([compute(bad)])).toContain('idle-shutdown: urn:pulumi:dev::wandcloud::azure-native:machinelearningservices:Compute::ci');
  });

  it('flag storage that would break compute instance creation', () => {
    const st = rec('azure-native:storage:StorageAccount', { ...goodStorage, allowSharedKeyAccess: false }, 'st');
    const ci = rec('azure-native:machinelearningservices:Compute', { tags, properties: { computeType: 'ComputeInstance', properties: { idleTimeBeforeShutdown: 'PT30M' } } }, 'ci');
    expect(violations([st, ci])).toContain(`compute-storage-shared-key: ${st.urn}`);
  });

  it('flag a known secret value anywhere in plain inputs, and accept it when marked secret', () => {
    const leaky = rec('azure-native:web:WebApp', { ...goodApp, siteConfig: { ...goodApp.siteConfig, appCommandLine: 'node main.js --key s3cret-value' } }, 'app');
    expect(violations([leaky, ...publishing], ['s3cret-value'])).toContain(`secrets-marked-secret: ${leaky.urn}`);
    const sealed = rec('azure-native:keyvault:Secret', { properties: secret({ value: 's3cret-value' }), tags }, 'sec');
    expect(violations([sealed], ['s3cret-value'])).toEqual([]);
  });

  it('reads ISO 8601 durations in minutes', () => {
    expect(isoMinutes('PT15M')).toBe(15);
    expect(isoMinutes('PT2H')).toBe(120);
    expect(isoMinutes('P1DT1H1M')).toBe(1501);
    expect(isoMinutes('P')).toBeUndefined();
    expect(isoMinutes('30M')).toBeUndefined();
  });
});
