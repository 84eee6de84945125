'use strict';
// The emulator's TLS material. The files under certs/ were generated ONCE with the openssl CLI and are committed:
// generating them at runtime would need openssl on every machine that runs the tests. The CA private key was
// deleted after signing, so nobody can mint more certificates from this CA. Validity is 100 years.
//
//   ca.pem          self-signed test CA ("LivePerson Functions Emulator Test CA (NOT TRUSTED)")
//   server.pem      server certificate signed by ca.pem, SAN IP:127.0.0.1, DNS:localhost, DNS:*.localhost,
//                   DNS:fninvocations.localhost, DNS:functions.localhost (the V2-looking names of platform.js: Node
//                   refuses a `*.localhost` wildcard for them, "*.tld wildcards are not allowed")
//   server-key.pem  private key of server.pem (test-only, public on purpose)
//
// Clients trust the emulator with NODE_EXTRA_CA_CERTS=<caPath> or new https.Agent({ ca: caPem }).

const fs = require('node:fs');
const path = require('node:path');

const dir = path.join(__dirname, 'certs');
const caPath = path.join(dir, 'ca.pem');
const serverCertPath = path.join(dir, 'server.pem');
const serverKeyPath = path.join(dir, 'server-key.pem');

function loadCerts() {
	return {
		caPath,
		caPem: fs.readFileSync(caPath, 'utf8'),
		cert: fs.readFileSync(serverCertPath, 'utf8'),
		key: fs.readFileSync(serverKeyPath, 'utf8'),
	};
}

module.exports = { loadCerts, caPath, serverCertPath, serverKeyPath };
