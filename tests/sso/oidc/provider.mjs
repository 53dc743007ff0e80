// A real OpenID Connect provider for the portal's tests: panva's oidc-provider (certified by
// the OpenID Foundation), started by portal/testing/oidc.py as `node provider.mjs`.
//
// Everything it needs comes from the JSON file named by OIDC_TEST_SETTINGS, written by the
// fixture: the port, the signing keys (private JWKs), the clients and the people. The people
// are read again at every sign-in, so a test can change someone's email or groups at the
// "directory" between two sign-ins. The development login form accepts any login id (no
// password check): the id is looked up in the people table ("sub" is the id).
//
// One test-only hook, for the tests of ID tokens a real provider would never issue (signed
// by another key, expired, or issued to another client): POST /test/next-id-token with a
// token as the body, and the next token response carries that token instead of its own.
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const settingsFile = process.env.OIDC_TEST_SETTINGS;
const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
const issuer = `http://127.0.0.1:${settings.port}`;

function people() {
  return JSON.parse(readFileSync(settingsFile, 'utf8')).people;
}

const provider = new Provider(issuer, {
  clients: settings.clients,
  jwks: { keys: settings.keys },
  cookies: { keys: [settings.cookie_key] },
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: {
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  // As Entra ID does with its optional claims: email, name and groups in the ID token itself.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  ttl: settings.ttl || {},
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  async findAccount(ctx, id) {
    const person = people()[id];
    if (!person) {
      return undefined;
    }
    return {
      accountId: id,
      async claims() {
        return { sub: id, email_verified: true, ...person };
      },
    };
  },
});
provider.proxy = false;

// The portal's test servers listen on free ports: a client's registered callback path is
// allowed on any port of this machine (oidc-provider allows that only for native apps).
const { Client } = provider;
const exactOnly = Client.prototype.redirectUriAllowed;
Client.prototype.redirectUriAllowed = function redirectUriAllowed(value) {
  if (exactOnly.call(this, value)) {
    return true;
  }
  try {
    const url = new URL(value);
    return ['127.0.0.1', 'localhost'].includes(url.hostname)
      && this.redirectUris.some((allowed) => new URL(allowed).pathname === url.pathname);
  } catch {
    return false;
  }
};
const exactLogoutOnly = Client.prototype.postLogoutRedirectUriAllowed;
Client.prototype.postLogoutRedirectUriAllowed = function postLogoutRedirectUriAllowed(value) {
  if (exactLogoutOnly.call(this, value)) {
    return true;
  }
  try {
    return ['127.0.0.1', 'localhost'].includes(new URL(value).hostname);
  } catch {
    return false;
  }
};

let nextIdToken = null;
provider.use(async (ctx, next) => {
  if (ctx.path === '/test/next-id-token' && ctx.method === 'POST') {
    let body = '';
    for await (const chunk of ctx.req) {
      body += chunk;
    }
    nextIdToken = body.trim();
    ctx.status = 204;
    return;
  }
  await next();
  if (ctx.path === '/token' && nextIdToken && ctx.body && ctx.body.id_token) {
    ctx.body = { ...ctx.body, id_token: nextIdToken };
    nextIdToken = null;
  }
});

provider.listen(settings.port, '127.0.0.1', () => {
  console.log(`oidc-provider listening at ${issuer}`);
});
