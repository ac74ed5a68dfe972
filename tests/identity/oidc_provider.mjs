// A real OpenID provider for the sign-in tests: the npm package `oidc-provider` (OpenID Certified),
// with its development login pages, one confidential client and the users of a JSON file.
//
// node oidc_provider.mjs CONFIG.json   — CONFIG: {port, client_id, client_secret, redirect_uris,
// users_file}; USERS file (read at each sign-in, so a test may change a user between two):
// {"<login>": {"email", "email_verified", "name", "groups": [...]}}. Prints "ready <issuer>".
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const require = createRequire(path.join(process.env.OIDC_NODE_PREFIX || '.', 'node_modules', 'x'));
const Provider = (await import(require.resolve('oidc-provider'))).default;

const issuer = `http://127.0.0.1:${config.port}`;

function users() {
  return JSON.parse(readFileSync(config.users_file, 'utf8'));
}

const provider = new Provider(issuer, {
  clients: [{
    client_id: config.client_id,
    client_secret: config.client_secret,
    redirect_uris: config.redirect_uris,
    response_types: ['code'],
    grant_types: ['authorization_code'],
  }],
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: {
    openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'],
  },
  conformIdTokenClaims: false, // the scope's claims in the ID token too, as Entra and Keycloak do
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  async findAccount(_ctx, id) {
    const user = users()[id];
    if (!user) return undefined; // an unknown login is refused by the provider
    return { accountId: id, async claims() { return { sub: id, ...user }; } };
  },
});
provider.proxy = false;

const server = provider.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
