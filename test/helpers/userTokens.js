'use strict';

/**
 * Tokens of a Conversational Cloud user from the emulator's authorization-code grant, obtained the
 * way n8n's consent flow obtains them (authorize redirect, then code exchange with HTTP Basic).
 */
const https = require('https');
const axios = require('axios');

async function userTokens(
	emu,
	redirectUri = 'https://n8n.example/rest/oauth2-credential/callback',
) {
	const agent = new https.Agent({ ca: emu.caPem });
	const { clientId, clientSecret } = emu.clients[0];
	try {
		const sentinel = `${emu.urls.sentinel}/sentinel/api/account/${emu.accountId}`;
		const authorize = await axios.get(`${sentinel}/authorize`, {
			params: {
				v: '1.0',
				response_type: 'code',
				client_id: clientId,
				redirect_uri: redirectUri,
				state: 's',
			},
			maxRedirects: 0,
			validateStatus: (status) => status === 302,
			httpsAgent: agent,
		});
		const code = new URL(authorize.headers.location).searchParams.get('code');
		const token = await axios.post(
			`${sentinel}/token?v=2.0`,
			new URLSearchParams({
				grant_type: 'authorization_code',
				code,
				redirect_uri: redirectUri,
			}).toString(),
			{
				auth: { username: clientId, password: clientSecret },
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				httpsAgent: agent,
			},
		);
		return token.data;
	} finally {
		agent.destroy();
	}
}

module.exports = { userTokens };
