// A real OpenID Connect provider (node-oidc-provider) for the tests, on a loopback port.
// The tests write its configuration: issuer, one client, the signing keys (so that they
// can also sign tokens with the provider's own key, and with others) and the accounts.
// Usage: node provider.mjs CONFIG.json; prints "ready" on stdout once it listens.
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { port } = new URL(config.issuer);

const provider = new Provider(config.issuer, {
  clients: [config.client],
  jwks: config.jwks,
  // The claims of the scopes the client asks for go into the ID token, where Entra ID and
  // Keycloak (with "Add to ID token") put the group claim.
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub'],
    profile: ['name'],
    email: ['email', 'email_verified'],
    groups: ['groups'],
  },
  async findAccount(ctx, id) {
    const account = config.accounts[id];
    return account && { accountId: id, claims: () => ({ sub: id, ...account }) };
  },
  // The kennisbank is a first-party client: no consent screen, as an organisation's own
  // provider grants its own applications.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(ctx.oidc.params.scope);
    await grant.save();
    return grant;
  },
  pkce: { required: () => true },
  ttl: { IdToken: 600, AccessToken: 600, Session: 3600, Interaction: 600, Grant: 3600 },
  features: {
    devInteractions: { enabled: true }, // its own sign-in form: any password is accepted
    rpInitiatedLogout: { enabled: true },
  },
});
provider.listen(Number(port), '127.0.0.1', () => console.log('ready'));
