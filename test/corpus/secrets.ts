/**
 * Credentials people paste into a chat: provider keys, tokens, JWTs, authorization
 * headers, PEM private keys, password assignments, webhook URLs. Every value is made up
 * in the shape of the real thing (prefix, length, alphabet; JWTs decode to JSON). Each
 * context holds one secret and nothing else a detector would take.
 *
 * Connection strings (`postgres://u:pw@host`) are not here: the secret_url detector hides
 * them whole (test/node/privacy/secrets.test.ts checks both together).
 *
 * Plain data, no Node imports: the browser suite reads it too.
 */
import { rows, type PiiItem } from './pii-item.js';

const KEYS = rows('secret', [
  ["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", "OPENAI_API_KEY={}"],
  ["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", "my key is {} why does it say quota exceeded?"],
  ["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", "export OPENAI_API_KEY=\"{}\""],
  ["sk-proj-1jXxmvtnRS0yS3mdFMA2F7-HvxbdfZVDxhmGAzKyp8_TIo_1T3BlbkFJ5iHjXXTq_zeWNilydPkMKnXuxW6luII8do-AZkY9_mR_ramS", "client = OpenAI(api_key=\"{}\")"],
  ["sk-svcacct-5uTBEMUZphlmEYB0xflOLgNBvI0Z5DXhF8ymugB1Rb_XKZqb0F8LtMx0PaHiT3BlbkFJ3b4hA6B8IleApFK5AJDyocD5_pGYfdKbljJQspABSZr7xgFKmqL6Mi5WB1Lr", "Service account key: {}"],
  ["sk-ant-api03-fP9FDcKvIHv3L9onpqwL76ExgYgjyxAuPxgeQE7_UWOc1SUCQlL9B6tYk_3hUeliuEyoOcc-QUdxPWxNoPWe3rGwYV-OmAA", "ANTHROPIC_API_KEY={}\nMODEL=claude-3-5-sonnet"],
  ["sk-ant-api03-66F-G1h8lst8Cb3ZK-JwpRwdLP38b1roH_Y-5oKadtNYhKsTv70o08xzbIvQSc5aD0cubLkoGeckvpR9DoQQuWi5cxWT4AA", "curl https://api.anthropic.com/v1/messages -H 'x-api-key: {}' -H 'anthropic-version: 2023-06-01'"],
  ["sk-ant-admin01-z28vYPOtetme_cft4nXIFboYhEvMKtHP6kOMtzewhmUmQLLc3sh8SWwzcVVtS1rVwBQYyGeiUQyfRqn6miagPCo9HWq9LAA", "admin key ({}) rotated on Monday"],
  ["AKIAM7LXOBUHJOEXJ7HC", "aws_access_key_id = {}"],
  ["AKIA2TJFHEV35PYCIQ5U", "The access key {} belongs to the CI user."],
  ["ASIATDSOMDBM5NXJT57D", "\"AccessKeyId\": \"{}\","],
  ["5vHUce5YonitpmuNr3I151dhg9ZMsrozob1Siotl", "aws_secret_access_key = {}"],
  ["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", "AWS_SECRET_ACCESS_KEY={}"],
  ["qvFTkpmb3tuivXJlXDig8MmPrPBttof4RyrqhLS/", "\"SecretAccessKey\": \"{}\""],
  ["ghp_AxSdkrZ2f0GnqyB0anruROzns2ybRf1aar9o", "git remote set-url origin with token {} fails"],
  ["ghp_pTBtIWx6vgZ71Bc34IUzY8CTUzrhzJRJ9XgS", "GITHUB_TOKEN: {}"],
  ["gho_pCFZdXbMN5sybrMClgmobYPK6r7qkSC7pwSK", "oauth token {} (expires in 8h)"],
  ["ghu_OBekKCZvjPEp0A5zHIQjWC6aYWwgIQarrRwv", "Error: Bad credentials for {}\n    at request (/app/node_modules/@octokit/request/dist-node/index.js:86:21)"],
  ["ghs_DOBQQHHyWafEgKWyRUM1VKBe3qQH9LeW3ALD", "installation token `{}`"],
  ["ghr_WRBfXCrfxUJBUEXoQIfzRgDqI9PlQA2otBRs", "refresh_token={}"],
  ["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", "Fine-grained PAT: {}"],
  ["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", "[credential]\n\thelper = store\n# {}"],
  ["glpat-YciBHazr93JblxvttCy8", "GITLAB_TOKEN={}"],
  ["glpat-_melIb_E0bh1ujPTjvW7", "curl --header 'PRIVATE-TOKEN: {}' https://gitlab.example.com/api/v4/projects"],
  ["xoxb-768741031220-5123025482012-eYPQILPSnHNIG016R3oCaPND", "SLACK_BOT_TOKEN={}"],
  ["xoxp-102476131872-539241371578-6420777353438-7018798d0b63e374dc6d841ac5165c5f", "user token: {}"],
  ["xoxa-2-880557188332-755360583219-5743426702676-d177bb91f86b43b3794356c7760dc4cfedcabdcac07b02a81e0ec179d6940b3d", "slack:\n  app_token: {}\n  channel: general"],
  ["xoxr-405664286666-221390510384-1326672886054-21d81898e7356a5c5dc97b3871743b4a", "Refresh with {} before noon"],
  ["xoxs-324633323061-356400597452-4858100457080-a80b5d9f4cca2e58d2f4f28b4ba9a92ab8b943341744d0b8693b60a89facd202", "{\"slack_session\":\"{}\"}"],
  ["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", "STRIPE_SECRET_KEY={}"],
  ["sk_live_zyaTGBzWLt1leblJ25lKcduG", "stripe.api_key = '{}'"],
  ["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", "restricted key {} for the reporting job"],
  ["sk_test_fbeLs9OogQdArpB2XNHMXGG2YEq4Qaj9WTk0YQmPgaVPs6D5C7H94nWJJiSbltP2ifnvBEZZtbG0kcRgzLOQYXzijxB5JPN9DxV", "Test mode key: {}"],
  ["whsec_S8yxI8x6nf4GHd9cl7xVtihDaEJMJ4d7", "STRIPE_WEBHOOK_SECRET={}"],
  ["AIzackC_PGpuy9mgAUVA2YR8QV3-JXjyeqxGLZ8", "GOOGLE_MAPS_KEY={}"],
  ["AIzakMxh5d-8w5Mp3dmD4FZngsxxbP59Uq-m45N", "<meta name=\"firebase-key\" content=\"{}\">"],
  ["AIzaJz3vCxizsd0jlkpMHy_6vzw54S5UA9WYhdC", "const firebaseConfig = { apiKey: \"{}\", projectId: \"demo\" };"],
  ["npm_tap9aUqFthhOuhNi9J1ZQ2NeXA5ZrrG5Cmi1", "//registry.npmjs.org/:_authToken={}"],
  ["npm_QI8vyVZvz3z9xhSiJW3f9xL6lnwWfXqAJKi0", "NPM_TOKEN is {} in the pipeline"],
  ["hf_lmXggLRUK0orxE8IkvmeSgX1nzeXY61d52", "HF_TOKEN={}"],
  ["hf_ATeKyyGKMOQuQ5nhg9LSbucndoiwB8egew", "huggingface-cli login --token {}"],
  ["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", "SENDGRID_API_KEY={}"],
  ["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", "sg = SendGridAPIClient(\"{}\")"],
  ["SK89ece8334f494ae8b4dd5ad3d8980ae6", "Twilio API key SID {} for the SMS service"],
  ["ACac8a792f2ea287a05fe253473f69cf16", "TWILIO_ACCOUNT_SID={}"],
  ["8153a51c3a2bfa4c922aee92a9509010", "TWILIO_AUTH_TOKEN={}"],
  ["NDk3NzE0NjMzNTE0MTczNzIy.goVsr7.KmkbZEVlvBL13bRnfM0WRQAf6lBeGFDvgtRt1Z", "DISCORD_BOT_TOKEN={}"],
  ["MTA5MzQyMTgzODkxNDQyMTEy.nUgTEm.OKTmkuvCeL1k3tB4sgvs5vaqanf", "client.login(\"{}\");"],
  ["5308618555:AA8h-TPlGaHPhdv76YUE-HDHZlFg3wpqDi5", "TELEGRAM_BOT_TOKEN={}"],
  ["945690363:AA5-v24nqeDkOfDwnWnJAeapnVHMmVbwJ7B", "bot = telebot.TeleBot(\"{}\")"],
  ["ya29.scARMSENIsBzKlDf-6WtSnF4woddF5q48V4lD5S_EhFjsIdtnrl5gGqiEV5F_Tb-9-fopQPhwF4D-bmr_Ml0eVA8JyEdpe90tX2cAX9zNacTBefZHdUgNUFG", "access token {} came back from the OAuth playground"],
  ["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", "client_secret: {}"],
  ["0xb3bf1cbde4ffe854c476542354248f38a20968649f15e1c83b58296286c20024", "PRIVATE_KEY={}"],
  ["qtVFUIlMTZY1VXjCpb9MTX4eH2eoRVRQ", "api_key: \"{}\""],
  ["FewHTP4cYQ1n_czE2w9OnIgi_focqygYT9Vxn8UE", "X-Api-Key: {}"],
  ["9f8e7d6c5b4a39281706f5e4d3c2b1a0c7d2e9f4", "SECRET_KEY_BASE={}"],
]);

const TOKENS = rows('secret', [
  ["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IlRlc3QgVXNlciIsImlhdCI6MTcxNjIzOTAyMn0.Peinmvo3xJner48IRICgfEXTR5VNjzZ6Q9-FVlhbu1f", "token={}"],
  ["eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS5jb20iLCJhdWQiOiJhcGkiLCJleHAiOjE5MDAwMDAwMDB9.oW5RYK_WWGRIPG8FvGMmiBNKU0KLwaQGjxrXYzma9dPq8rwkCYWk6iMGSDfl03beN8MNJM-OTk88YAT0EbPSDy", "Here is the id token, can you decode it? {}"],
  ["eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1XzQyIiwic2NvcGUiOiJyZWFkIHdyaXRlIn0.7yABlvoEXmn3ezpVFyZbZ-lFm03O4w7zbOfwapNBCeyifJ5O9GQCnwh6qkZxS-kkqatP_ThueGs8QP63kJ2ZkS", "{\"access_token\": \"{}\", \"expires_in\": 3600}"],
  ["eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJ1c2VyX2lkIjo3LCJyb2xlIjoiYWRtaW4ifQ.NedErEb88FqVreVtmLpeWHyFqQ79NgSkqzBUuHUqEWZBada3aYkmxCDrLYDhTWvm24UUg6-I9X4d4MQw-VQe7t", "Cookie: session={}; Path=/"],
  ["ABlcxX5RHn75pbriQ21ySTkpdkGpDry5", "Authorization: Bearer {}"],
  ["kT9pX2mQ7vL4nR8sW1yZ5bC3dF6gH0jA", "curl -H 'Authorization: Bearer {}' https://api.example.com/v1/me"],
  ["op_7f3a9c2e1b5d8f04a6c2e9b1d7f3a5c8", "{\"headers\": {\"Authorization\": \"Bearer {}\"}}"],
  ["ZGVwbG95OnY5RHAwM0RvbzNBRE9qUFk=", "Authorization: Basic {}"],
  ["YWRtaW46RXdoRktCa0taUQ==", "curl -H \"Authorization: Basic {}\" https://ci.example.com/job"],
  ["ghp_9vJq2LmX8rT4kW6yZ1nB3cD5fG7hP0sA2eU4", "Authorization: token {}"],
  ["at_4Kq9Zx2Lm7Vt1Rn8Pw3Ys6Bc0Df5Gh9Jk", "Send it with Bearer {} and it works"],
]);

const PEMS = rows('secret', [
  ["-----BEGIN RSA PRIVATE KEY-----\nSqmtAFaHcH6wTsTCRyxaCTgTRMrLsZfc81Ijwex7zOoCwB3SU1qIKkP/ALwVgmak\nXwZJRm5f5EFE8GKSGoUmDlube6mOEjGchbaehfwzvrS147NCoLtzrW+ntZL4ZPhD\nc2MkhIX3WCQXlgBh7d3xD39jrogSdssbGBtaShvrsJ9pB1kx9gwfMHsPZmmcR5oj\ng8/Ayq2PyAarO63xwTZ9==\n-----END RSA PRIVATE KEY-----", "Here is my key, why does ssh reject it?\n{}\nThanks!"],
  ["-----BEGIN EC PRIVATE KEY-----\nEIMr4VbW22TbrnAWCjujpnodKv7hS2zLt5b3G0AAKjvDlBxcDMVmP+l/2TuBkJ8J\nFabyEDWaPA6bPMTSzlsamFTRToSRnM13NrKezCbkDN1jqHk4Ut0+s7wTftlRZ/fV\nGsp6RxRdnKhb0ylNkmrSii9EbioB==\n-----END EC PRIVATE KEY-----", "{}"],
  ["-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n7i4iud5GgQ2H828CvNXTkPSWJ57mIHcgO0CgG+4CefLhATHaZY4JVoqKfAo4kc/wQ37OPO\nnuMdRr0gDizTKv1xxul3F6xhSwDqksHPHKrMGlZdua++LFFqpCceTstWWglN+6wAWW5rrP\ntKKC4Y8LGTQFC1QOZ6JA3gH4IhWR36==\n-----END OPENSSH PRIVATE KEY-----", "cat ~/.ssh/id_ed25519\n{}"],
  ["-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQBpynVaijeB2sn5\nZ8+g2PtQ6jAmQyF9m5Gzm0Qi9evnX0vdfybiCUAQsWqEJzkZEo8sKx8aHJw8ntmx\nVZoT+JDAO5DRxk0lTHhWfdXBCkiCnWN18wm1ru3f=\n-----END PRIVATE KEY-----", "key.pem:\n```\n{}\n```"],
  ["-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQIhLNPJFzhRW2wj6iZ\nsvD4YvlpS3THHDavjOG9SViN/U86XHehGqVe44sNYuwJUItvWBvbKWCpeDx08EJZ\nRVW0IxkhPV+7Q9xf4kJpzHR1siWeQxlBLvH6JaLk1s7d8hk/K3\n-----END ENCRYPTED PRIVATE KEY-----", "The encrypted key:\n{}\n(passphrase in the vault)"],
  ["-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQBpynVaijeB2sn5\\nZ8+g2PtQ6jAmQyF9m5Gzm0Qi9evnX0vdfybiCUAQsWqEJzkZEo8sKx8aHJw8ntmx\\nVZoT+JDAO5DRxk0lTHhWfdXBCkiCnWN18wm1ru3f=\\n-----END PRIVATE KEY-----", "{\"type\": \"service_account\", \"private_key\": \"{}\\n\", \"project_id\": \"demo\"}"],
  ["-----BEGIN RSA PRIVATE KEY-----\r\nEIMr4VbW22TbrnAWCjujpnodKv7hS2zLt5b3G0AAKjvDlBxcDMVmP+l/2TuBkJ8J\r\nFabyEDWaPA6bPMTSzlsamFTRToSRnM13NrKezCbkDN1jqHk4Ut0+s7wTftlRZ/fV\r\nGsp6RxRdnKhb0ylNkmrSii9EbioB==\r\n-----END RSA PRIVATE KEY-----", "Windows copy:\r\n{}\r\n"],
]);

const PASSWORDS = rows('secret', [
  ["Tr0ub4dor&3", "DB_PASSWORD={}"],
  ["hunter2", "password: {}"],
  ["c0rrect-h0rse", "\"password\": \"{}\""],
  ["S3cure!pw", "mysql --user=root --password={} db"],
  ["Kx9$mq2L", "docker login -u ci --password {} registry.example.com"],
  ["Zq8!rT4e", "pwd: {}"],
  ["Winter2024!", "passwd={}"],
  ["Spr1ngB00t#", "spring.datasource.password='{}'"],
  ["blu3-Sky.42", "  db:\n    user: app\n    pass: {}\n"],
  ["MyS3cretPa55", "Server=sql01;Database=crm;User Id=sa;Password={};"],
  ["swordfish", "POSTGRES_PASSWORD: {}"],
  ["Summer2024!", "my password is {} and it still fails"],
  ["Gehe1m!2024", "Passwort: {}"],
  ["mailPa55", "<add key=\"SmtpPassword\" value=\"{}\" />"],
  ["r3d1s-pw", "redis-cli --pass {} ping"],
  ["purple monkey dishwasher 7", "passphrase = \"{}\""],
  ["Pw0rd-77", "Data Source=db;Initial Catalog=app;User ID=app;Pwd={}"],
  ["Qw3rty!9", "# mail\nSMTP_PASS={}\nSMTP_PORT=587"],
  ["Hunter2024", "wifi password {} thanks"],
  ["Gr33n-Tea", "**Password**: {}"],
  ["4821-77", "door passcode: {}"],
  ["cG9zdGdyZXMtcHc5OQ==", "apiVersion: v1\nkind: Secret\ndata:\n  password: {}"],
  ["Mysql!Root42", "docker run -e MYSQL_ROOT_PASSWORD={} -d mysql:8"],
  ["Pa55w0rd", "curl -u admin:{} https://api.example.com"],
  ["s3cr3t-Val", "curl --user 'deploy:{}' -X POST https://ci.example.com/job"],
  ["Tr0ub4dor", "wget --proxy-user=ops:{} http://mirror.example.com/file.iso"],
]);

const WEBHOOKS = rows('secret', [
  ["https://hooks.slack.com/services/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", "SLACK_WEBHOOK_URL={}"],
  ["https://hooks.slack.com/services/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", "curl -X POST -d '{\"text\":\"hi\"}' {}"],
  ["https://discord.com/api/webhooks/1347379975357546418/UjuJVi6pXzURlxp9M5loYn0PUXBuOk5BQrIEnIayeXaICz2Cf5YbBFsQ0zgdDee-7jTv", "Post alerts to {} please"],
  ["https://discordapp.com/api/webhooks/248767132349150493/VBD_u8oIyrXLNJZkrU9u3GNHebWJMRkRtiD6sL-i3Iij3U7abtUiON7Z7w6ZPUd_1zym", "webhook: \"{}\""],
  ["https://contoso.webhook.office.com/webhookb2/dd351c45-8ce6-43ee-9eb6-e23155aa02a2@b680c610-18be-465d-8698-0b837e7d9859/IncomingWebhook/ba3cb5db2fc0c5c6438b75d9177de412/0f5bd366-c125-43bb-8f21-9086c73a1796", "Teams connector: {}"],
]);

export const SECRETS: readonly PiiItem[] = [...KEYS, ...TOKENS, ...PEMS, ...PASSWORDS, ...WEBHOOKS];
