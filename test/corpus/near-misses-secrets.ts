/**
 * Text that looks like a credential or a national ID but is not one, and must reach the
 * cloud unchanged: code, docs and placeholders people paste when they ask about a secret
 * rather than leak it.
 *
 * Decisions pinned here: a password label with an empty, masked (`***`), templated
 * (`${PASSWORD}`, `{{ pw }}`, `<password>`), typed (`password: string`) or code value
 * (`process.env.DB_PASSWORD`, `getenv(…)`) is not a secret; a `passport` word with no
 * number after it hides nothing; digit runs that fail their check digit stay.
 *
 * Plain data, no Node imports: the browser suite of the whole SDK reads it too.
 */
import type { NearMiss } from './near-misses.js';

export const NEAR_MISSES_SECRETS: readonly NearMiss[] = Object.freeze([
  { why: 'CSS class with sk- prefix', text: '<button class="sk-button sk-button--primary-large-rounded">Save</button>' },
  { why: 'CSS custom property', text: '.card { color: var(--sk-color-primary-foreground-strong); }' },
  { why: 'sk- slug in a URL path', text: 'See https://example.com/blog/sk-learn-tutorial-part-two-pipelines' },
  { why: 'empty password', text: 'DB_PASSWORD=' },
  { why: 'masked password', text: 'password: ********' },
  { why: 'redacted password', text: '"password": "<redacted>"' },
  { why: 'redacted password', text: 'password=[REDACTED]' },
  { why: 'env placeholder', text: 'password: ${POSTGRES_PASSWORD}' },
  { why: 'shell variable', text: 'mysql -u root --password=$MYSQL_ROOT_PASSWORD' },
  { why: 'template placeholder', text: 'password: "{{ vault_db_password }}"' },
  { why: 'angle-bracket placeholder', text: 'PASSWORD=<your-password>' },
  { why: 'type annotation', text: 'interface Login { user: string; password: string }' },
  { why: 'Python type hint', text: 'def login(user: str, password: str) -> bool:' },
  { why: 'value read from the environment', text: 'const password = process.env.DB_PASSWORD;' },
  { why: 'value from a function call', text: "password = os.getenv('DB_PASSWORD')" },
  { why: 'comparison, not assignment', text: 'if password == confirm_password: save()' },
  { why: 'null password', text: 'password: null' },
  { why: 'prose after a password label', text: 'Password: at least 12 characters and one digit' },
  { why: 'prose about passwords', text: 'Forgot your password? Reset it from the login page.' },
  { why: 'password is (a word)', text: 'The password is incorrect, try again' },
  { why: 'pass in an unrelated word', text: 'bypass: true\ncompass=north' },
  { why: 'a count after a password word', text: 'I changed my password 3 times this year' },
  { why: 'prose after a password word', text: 'The password reset link was sent to your inbox.' },
  { why: 'a test count after pass', text: 'pass 3 tests, fail 0' },
  { why: 'variable passed on in code', text: 'db.connect(user=user, password=password)' },
  { why: 'PWD is the working directory', text: 'PWD=/home/ci/project\nSHLVL=1' },
  { why: 'token count, not a token', text: 'max_tokens: 2048' },
  { why: 'token type', text: '"token_type": "Bearer"' },
  { why: 'secret that is a word', text: 'secret: false' },
  { why: 'templated bearer header', text: 'headers: { Authorization: `Bearer ${token}` }' },
  { why: 'bearer without a token', text: 'Authorization: Bearer <token>' },
  { why: 'the word Bearer in prose', text: 'Use the Bearer scheme described in RFC 6750 for every request.' },
  { why: 'AKIA in prose', text: 'Access key IDs that start with AKIA are long-term; ASIA means temporary.' },
  { why: 'AWS sample-shaped but too short', text: 'the id looked like AKIA1234 in the log' },
  { why: 'GitHub prefix alone', text: 'Classic tokens start with ghp_ and fine-grained ones with github_pat_.' },
  { why: 'base64 JSON that is not a JWT', text: 'payload eyJ1c2VyIjoiYm9iIn0 decodes to {"user":"bob"}' },
  { why: 'two dotted base64 parts, not a JWT', text: 'header eyJhbGciOiJIUzI1NiJ9.e30 only' },
  { why: 'PEM public key', text: '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEabc\n-----END PUBLIC KEY-----' },
  { why: 'PEM certificate', text: '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUfake\n-----END CERTIFICATE-----' },
  { why: 'hooks URL that is not a webhook secret', text: 'Docs: https://api.slack.com/messaging/webhooks' },
  { why: 'Stripe publishable key is public', text: 'pk_live_51HfakeFAKEfake0123456789abcdefgh is in the page source by design' },
  { why: 'git commit hash', text: 'Fixed in commit 9fceb02d0ae598e95dc970b74767f19372d61af8' },
  { why: 'SHA-256 digest', text: 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
  { why: 'api key placeholder', text: 'api_key: YOUR_API_KEY' },
  { why: 'hf_ identifier in code', text: 'from huggingface_hub import hf_hub_download' },
  { why: 'eleven digits failing the Steuer-ID check', text: 'Steuer-ID 53478072766 wurde abgelehnt' },
  { why: 'eleven digits failing the Steuer-ID check', text: 'Kundennummer 93019803276' },
  { why: 'eleven digits with two repeated digits', text: 'Vorgang 11223456789' },
  { why: 'Steuer-ID-like, leading zero', text: 'Referenz 02536741898' },
  { why: 'twelve digits failing Verhoeff', text: 'Aadhaar 6583 5795 0170 looks wrong' },
  { why: 'twelve digits failing Verhoeff', text: 'Order 499043888549 shipped' },
  { why: 'twelve digits starting with 1', text: 'Invoice 123412341234' },
  { why: 'NIR with a wrong key', text: 'NIR 2 29 07 75 636 393 83 refusé' },
  { why: 'NIR-shaped with month 13', text: 'Ref 1 84 13 76 451 089 46' },
  { why: 'PAN-shaped with a wrong holder letter', text: 'Code ABCDE1234F is a SKU' },
  { why: 'passport with no number', text: 'Bring your passport and a photo.' },
  { why: 'passport then a word', text: 'Passport photos cost 12 euros' },
  { why: 'passport then a date', text: 'passport valid until 2031-05-01' },
  { why: 'passport then a short number', text: 'Passport No. 42 in the queue' },
  { why: 'order number after an ID word', text: 'Order 20240611-0042 for passport renewal' },
  { why: 'passport then a year', text: 'Reisepass abgelaufen seit 2019' },
  { why: 'timestamp in milliseconds', text: 'ts=1718064000123' },
]);
