/**
 * Personal data that redaction must hide, in the formats and surroundings people type.
 * Every value is fake: documentation-range addresses (RFC 5737, RFC 3849), card-network
 * test numbers and Luhn-valid numbers of our own, IBANs with correct mod-97 check digits,
 * phone numbers in fictional or example ranges where a plan has them, otherwise made up,
 * that libphonenumber calls valid. Unicode dashes and spaces are written as `\u` escapes so
 * a reader can see them.
 *
 * Each context holds exactly one item, so a test can expect exactly one placeholder.
 * Plain data, no Node imports: the browser suite of the whole SDK reads it too.
 */
import { rows, type PiiItem } from './pii-item.js';
import { INTL_IDS } from './national-ids.js';
import { SECRETS } from './secrets.js';

export type { PiiItem } from './pii-item.js';

const EMAILS = rows('email', [
  ['jane.doe+x@example.co.uk', 'Mail me at {} tomorrow'], ['john.smith@example.com', '{}'], ['JOHN.SMITH@EXAMPLE.COM', 'CC: {}'],
  ['first_last@sub.example.org', 'Reply to <{}> please.'], ['user%tag@example.net', 'Forwarded from {}.'], ['a.b-c@d-e.example.io', '(contact: {})'],
  ['x@y.dev', 'Short one: {}!'], ['support@company.travel', 'Write to {}; they answer fast.'],
  ['dev+alerts@my-app.example.com', '{"email":"{}","verified":true}'], ['2024report@example.org', 'Send the numbers to {} by Friday'],
  ['noreply@mail.example.co.jp', 'The bounce came from {}'], ['maría.garcía@ejemplo.es', 'Escríbeme a {} cuando puedas.'],
  ['info@müller-bau.de', 'Bitte an {} schicken.'], ['priya.sharma@example.in', 'Her address is {}, not the old one.'], ['li.wei@example.cn', '请发邮件到 {} 谢谢'],
  ['o.connor@example.ie', "'{}'"], ['sales@example-shop.com', 'mailto:{}'], ['Jane.Roe@Example.Com', 'Jane Roe <{}>, Bob'],
  ['ops-team@example.com', '- on-call: {}\n- backup: none'], ['hr@example.org', 'Is {} still monitored?'],
  ['bob.jones99@example.net', 'Login failed for user {} at 09:14'], ['test.user123@example.com', 'Account {} was created'],
  ['finance@corp.example.com', '> From: {}\n> Subject: Q3'], ['m.rossi@example.it', 'Il mio indirizzo è {}.'], ['k.tanaka@example.jp', 'Email {}, phone later'],
  ['ana-lucia@example.com.br', 'Meu e-mail: {}'], ['alerts@status.example.io', 'Subscribe {} to the feed'], ['p.muller@example.ch', '**Email:** {}'],
  ['z@example.museum', 'curator {} replied'], ['anna_k@example.se', '`{}`'], ['me@example.xyz', '[{}]'],
  ['security@example.org', 'Report bugs to {}, not on the forum.'], ['r.kowalski@example.pl', 'Proszę pisać na {}'],
  ['billing+2024@example.com', 'Invoices go to {}.'], ['dr.who@example.tv', 'ask {}?'],
  // Formats the first corpus missed or cut short (issue 16).
  ["kevin.o'brien@example.com", 'Email {} about it'], ["d'angelo@example.it", 'Scrivi a {}'], ["o'neil@example.ie", 'Ask {} first'],
  ['jane.doe@example.com', '<a href="mailto:{}">mail</a>'], ['user@sub.domain.example.co.uk', 'From: "User" <{}>'],
  ['jane@example.com', '/signup?email={}&next=/'], ['bob@example.org', 'Contact:{}'], ['alice@example.net', '{"to":["{}"]}'],
  ['firstname.lastname@example.com', 'Jane,Doe,{},NY'], ['customer.service@example-store.co.uk', 'Reply-To: {}'],
  ['jean-luc.picard@example.fr', 'Écrivez à {}.'], ['øyvind@example.no', 'E-post: {}'], ['ivan.petrov@example.ru', 'Почта: {}'],
  ['user+tag+more@example.com', 'Filter {}'], ['JANE_DOE@EXAMPLE.ORG', 'To:{}'], ['x.y@example.technology', 'Long TLD {}'],
  ['h.müller@example.de', 'Kontakt: {}'], ['tanaka.taro@example.co.jp', 'メール：{}'], ['ahmed.ali@example.eg', 'بريدي {}'],
  ['jane.roe@example.com', 'git commit --author="Jane Roe <{}>"'], ['alex@example.io', '**{}**'], ['sam@example.dev', 'email={}'],
  ['li.na@example.com.cn', '邮箱:{}'], ['user.name@example.com', 'Login: {} (SSO)'],
  ['jane(at)example.com', 'Contact: {}'], ['j.doe [at] example [dot] co [dot] uk', 'write to {} (no spam)'], ['kevin.o\u2019brien@example.com', 'Typed on a phone: {}'],
]);

const PHONES = rows('phone', [
  ['+1 415 555 2671', 'Call me on {} after six'], ['+1 (212) 555-0199', 'Office: {}'], ['+1-646-555-0143', 'Text {} when you land'],
  ['+1 416 555 0188', 'Toronto desk {}.'], ['(415) 555-2671', 'My cell is {}, call anytime'], ['415-555-0132', 'Fax: {}'],
  ['415.555.2671', 'Phone {} (mobile)'], ['1-800-555-0199', 'Toll-free {}'], ['+44 20 7946 0958', 'London office {}'], ['+44 7911 123456', 'WhatsApp {}'],
  ['020 7946 0958', 'Ring {} during office hours.'], ['07911 123456', 'Mobile: {}'], ['0044 20 7946 0958', 'From abroad dial {}'],
  ['+49 30 12345678', 'Büro Berlin: {}'], ['+49 151 23456789', 'Handy {}'], ['030 12345678', 'Tel. {}'], ['089/1234567', 'Telefon {} (München)'],
  ['0151 23456789', 'Erreichbar unter {}.'], ['0049 30 12345678', 'Aus dem Ausland {}'], ['+33 1 23 45 67 89', 'Bureau à Paris : {}'],
  ['+33 6 12 34 56 78', 'Portable {}'], ['01 23 45 67 89', 'Appelez le {} svp'], ['06 12 34 56 78', 'Mon numéro : {}.'],
  ['+91 98765 43210', 'Call {} for delivery'], ['+91 22 2345 6789', 'Mumbai office {}'], ['98765 43210', 'My number is {}'], ['022 2345 6789', 'Landline {}'],
  ['+81 3-1234-5678', '東京オフィス {}'], ['+81 90-1234-5678', 'Keitai {}'], ['+61 2 9876 5432', 'Sydney: {}'], ['+61 412 345 678', 'Mobile {} (AU)'],
  ['+55 11 91234-5678', 'Celular {}'], ['+34 912 34 56 78', 'Madrid {}'], ['+34 612 34 56 78', 'Móvil: {}'], ['+39 06 1234 5678', 'Roma {}'],
  ['+39 312 345 6789', 'Cellulare {}'], ['+86 10 1234 5678', 'Beijing {}'], ['+86 138 0013 8000', '手机 {}'], ['+7 495 123-45-67', 'Москва {}'],
  ['+31 20 123 4567', 'Amsterdam {}'], ['+31 6 12345678', 'Mobiel {}'], ['+46 8 123 456 78', 'Stockholm {}'], ['+41 44 668 18 00', 'Zürich {}'],
  ['+32 2 512 34 56', 'Bruxelles {}'], ['+48 22 123 45 67', 'Warszawa {}'], ['+52 55 1234 5678', 'CDMX {}'], ['+27 21 123 4567', 'Cape Town {}'],
  ['+65 6123 4567', 'Singapore office {}'], ['+971 50 123 4567', 'Dubai mobile {}'], ['+353 1 234 5678', 'Dublin {}'], ['+351 21 123 4567', 'Lisboa {}'],
  ['+358 9 1234567', 'Helsinki {}'], ['+47 22 12 34 56', 'Oslo {}'], ['+45 32 12 34 56', 'København {}'], ['+90 212 345 67 89', 'İstanbul {}'],
  ['+234 803 123 4567', 'Lagos {}'], ['+64 9 379 4567', 'Auckland {}'], ['+972 3-123-4567', 'Tel Aviv {}'], ['+420 601 123 456', 'Praha {}'],
  ['+82 2 1234 5678', 'Seoul {}'],
  // Formats the first corpus missed (issue 16): separators, labels, countries, extensions.
  ['06.12.34.56.78', 'Mon portable : {}'], ['01.23.45.67.89', 'Tél. {}'], ['+33 (0)6 12 34 56 78', 'Mobile {}'],
  ['+44 20 7946 0958', 'Tel:{}'], ['0207946 0958', 'phone={}'], ['+49 (0)30 1234567', 'Tel.: {}'], ['0170 1234567', 'Handy: {}'],
  ['+49 89 1234567', 'Telefon:{}'], ['+91-98765-43210', 'Call {}'], ['+919876543210', 'mobile={}'],
  ['(11) 91234-5678', 'Celular: {}'], ['+55 (11) 91234-5678', 'WhatsApp {}'], ['+55 21 2345-6789', 'Rio {}'],
  ['090-1234-5678', '携帯 {}'], ['+81 (0)3-1234-5678', 'Tokyo {}'], ['0412 345 678', 'Mob {}'], ['(02) 9876 5432', 'Sydney office {}'],
  ['138 0013 8000', '手机：{}'], ['+1 (415) 555-2671', 'Phone: {}'], ['1.800.555.0199', 'Hotline {}'], ['415 555 2671', 'Call {} now'],
  ['+1-415-555-2671', 'Tel:{}'], ['+44 (0) 20 7946 0958', 'Tel {}'], ['(415) 555-2671 ext. 123', 'Call {} for billing'],
  ['415-555-2671 x204', 'Desk {}'], ['+1 212 555 0199 ext 7', 'Reception: {}'], ['+14155552671', '<a href="tel:{}">call</a>'],
  ['4155552671', '{"phone":"{}"}'], ['4155552671', 'call me at {} tonight'], ['%2B14155552671', '/sms?to={}&body=hi'],
  ['+447911123456', '?tel={}&lang=en'], ['+1-202-555-0143', '{"name":"x","phone":"{}"}'], ['020 7946 0958', 'id,name,phone\n7,Jane,{}\n'],
  ['+44\u00A020\u00A07946\u00A00958', 'Phone {}'], ['415\u2013555\u20132671', 'Cell {}'], ['415\u2011555\u20112671', 'Work {}'],
  ['+33\u202F6\u202F12\u202F34\u202F56\u202F78', 'Tél {}'], ['+49\u201130\u201112345678', 'Büro {}'], ['06\u00A012\u00A034\u00A056\u00A078', 'Portable {}'],
  ['+7 (495) 123-45-67', 'Телефон: {}'], ['+380 44 123 4567', 'Київ {}'], ['+20 10 1234 5678', 'القاهرة {}'], ['+62 812 3456 7890', 'Jakarta {}'],
  ['+63 917 123 4567', 'Manila {}'], ['+66 2 123 4567', 'Bangkok {}'], ['+84 24 3123 4567', 'Hà Nội {}'], ['+92 300 1234567', 'Karachi {}'],
  ['+880 1712 345678', 'Dhaka {}'], ['+254 712 345678', 'Nairobi {}'], ['+54 11 1234-5678', 'Buenos Aires {}'], ['+56 2 2123 4567', 'Santiago {}'],
  ['+57 601 234 5678', 'Bogotá {}'], ['+51 1 234 5678', 'Lima {}'], ['+43 1 23456789', 'Wien {}'], ['+30 21 0123 4567', 'Αθήνα {}'],
  ['+36 1 234 5678', 'Budapest {}'], ['+40 21 123 4567', 'București {}'], ['+353 87 123 4567', 'Mobile (IE) {}'], ['+41 79 123 45 67', 'Natel {}'],
  ['+43 664 1234567', 'Handy {}'], ['+48 512 345 678', 'Komórka {}'], ['+32 470 12 34 56', 'GSM {}'], ['+91 80 4567 8901', 'Bengaluru office {}'],
  ['8 (916) 123-45-67', 'Мобильный: {}'], ['+1 415-555-2671 ext. 45', 'Support line {}'], ['+44-20-7946-0958', 'tel:{}'],
  ['(+44) 20 7946 0958', 'UK {}'], ['0033 6 12 34 56 78', 'Depuis l\'étranger {}'], ['(21) 98765-4321', 'Zap {}'], ['+7 (916) 123-45-67', 'Mob {}'],
  // National numbers of countries tried only after a phone label.
  ['612 34 56 78', 'Móvil: {}'], ['91 123 45 67', 'Teléfono {}'], ['333 123 4567', 'Cellulare: {}'], ['512 345 678', 'Komórka {}'],
  ['070-123 45 67', 'Mobil: {}'], ['55 1234 5678', 'Celular {}'], ['010-1234-5678', '휴대폰 {}'], ['010 1234 5678', 'Mobile: {}'],
  ['011 1234-5678', 'Teléfono: {}'], ['912 345 678', 'Telemóvel / phone {}'], ['601 123 456', 'Tel. {}'], ['32 12 34 56', 'Tlf. {}'],
  ['412 34 567', 'Mobil {}'], ['9123 4567', 'WhatsApp me at {}'], ['0470 12 34 56', 'GSM {}'], ['06-12345678', 'Mobiel {}'],
  // Full-width (Japanese input), Arabic-Indic and Devanagari digits.
  ['\uFF10\uFF13\uFF0D\uFF11\uFF12\uFF13\uFF14\uFF0D\uFF15\uFF16\uFF17\uFF18', '電話：{}'], ['\uFF0B\uFF18\uFF11 \uFF19\uFF10\uFF0D\uFF11\uFF12\uFF13\uFF14\uFF0D\uFF15\uFF16\uFF17\uFF18', '携帯 {}'],
  ['+\u0662\u0660 \u0661\u0660 \u0661\u0662\u0663\u0664 \u0665\u0666\u0667\u0668', 'هاتف {}'], ['+\u096F\u0967 \u096F\u096E\u096D\u096C\u096B \u096A\u0969\u0968\u0967\u0966', 'फ़ोन {}'],
]);

const CARDS = rows('card', [
  ['4111 1111 1111 1111', 'My card is {}, exp 12/29'], ['4012888888881881', 'Charge {} please'], ['4222222222222', 'Old 13-digit Visa {}'],
  ['4000-0566-5566-5556', 'Debit {}'], ['4242 4242 4242 4242', 'Test with {} in staging'], ['5555 5555 5555 4444', 'Mastercard: {}'],
  ['5105-1051-0510-5100', 'Use {}.'], ['2223 0031 2200 3222', '2-series {}'], ['5200828282828210', 'Card number {} was declined'],
  ['3782 822463 10005', 'Amex {}'], ['371449635398431', 'AMEX:{}'], ['3787 344936 71000', 'Corporate card {} (Amex)'], ['6011 1111 1111 1117', 'Discover {}'],
  ['6011000990139424', '"card": "{}"'], ['3056 930902 5904', 'Diners {}'], ['38520000023237', 'Diners Club {}'], ['3530 1113 3330 0000', 'JCB {}'],
  ['3566002020360505', 'JCB card {}'], ['6200 0000 0000 0005', 'UnionPay {}'], ['4539 5260 1815 9083', 'Order 12 paid with {}'],
  ['4556-3016-6131-8602', 'Card ending… {}'], ['5425 1993 5181 9095', 'Please refund {} today.'], ['5168378657975436', 'The number {} is mine'],
  ['2720 8955 5979 7111', 'New card: {}'], ['3412 471049 74659', 'Amex no. {}'], ['6011 2366 7127 6842', '({})'], ['3528 6859 9528 9076', 'カード番号 {}'],
  ['6200 8666 6176 0313 728', '19-digit UnionPay {}'], ['4000139624595714', 'Kartennummer: {}'], ['4728038528081', 'legacy {}'],
  ['5019 1777 7412 1549', 'Dankort {}'],
  // Formats the first corpus missed (issue 16): dots, double spaces, Unicode dashes and spaces, labels.
  ['4111.1111.1111.1111', 'Card {}'], ['4111  1111  1111  1111', 'PAN {} (double spaced)'], ['4111\u20131111\u20131111\u20131111', 'Visa {}'],
  ['5555\u00A05555\u00A05555\u00A04444', 'MC {}'], ['4242\u202F4242\u202F4242\u202F4242', 'Carte {}'], ['4012\u20118888\u20118888\u20111881', 'Card {}'],
  ['4532015112832230', 'card={}&exp=1229'], ['4024007160654686', 'CC:{}'], ['5355 2226 3458 7570', '**{}**'], ['2221001234560685', '{"pan":"{}","cvc":"123"}'],
  ['6011009988771759', 'Discover card no.{}'], ['3566-0020-2036-7963', 'JCB: {}'], ['3782-822463-10120', 'Amex {}'], ['3782 8224 6310 120', 'Amex as 4-4-4-3: {}'],
  ['6221 2612 3456 7160', '银联卡 {}'], ['4917 6100 0000 9258', 'Visa Electron {}'], ['5105 1051 0510 0465', 'Numéro de carte : {}'],
  ['4123 4567 8901 9005', 'Tarjeta {}'], ['4556 7375 8265 6994', 'Karte: {}, gültig bis 09/27'], ['5200 8282 8282 1249', 'Card ending 1249: {}'],
  ['3621 123456 7858', 'Diners {}'], ['6304 9506 0000 1875', 'Maestro {}'], ['6767 7000 0000 4064 953', 'Solo {}'], ['4111—1111—1111—1111', 'Pasted with em dashes {}'],
  ['4111 1111 1111 1111', 'Card {} 0927 (exp MMYY)'], ['5555555555554444', '{}|12/26|123'],
  ['\uFF14\uFF11\uFF11\uFF11 \uFF11\uFF11\uFF11\uFF11 \uFF11\uFF11\uFF11\uFF11 \uFF11\uFF11\uFF11\uFF11', 'カード番号：{}'],
]);

const IBANS = rows('iban', [
  ['DE89 3704 0044 0532 0130 00', 'Überweisung an {} bitte'], ['DE44500105175407324931', 'IBAN:{}'], ['GB29 NWBK 6016 1331 9268 19', 'Pay into {} by Monday'],
  ['GB60BARC20000055779911', 'Account {}.'], ['FR14 2004 1010 0505 0001 3M02 606', 'Virement sur {} svp'], ['FR7630006000011234567890189', 'RIB : {}'],
  ['NL91 ABNA 0417 1643 00', 'Rekening {}'], ['NL39RABO0300065264', '{} is mine'], ['ES91 2100 0418 4502 0005 1332', 'Cuenta {}'],
  ['IT60 X054 2811 1010 0000 0123 456', 'Conto {}'], ['BE68 5390 0754 7034', 'Compte {} (BE)'], ['CH93 0076 2011 6238 5295 7', 'Konto {}'],
  ['AT61 1904 3002 3457 3201', 'Bankverbindung: {}'], ['PL61 1090 1014 0000 0712 1981 2874', 'Numer konta {}'], ['SE45 5000 0000 0583 9825 7466', 'Konto {}'],
  ['NO93 8601 1117 947', 'Kontonummer {}'], ['DK50 0040 0440 1162 43', 'Konto: {}'], ['FI21 1234 5600 0007 85', 'Tili {}'],
  ['IE29 AIBK 9311 5212 3456 78', 'Lodge it to {}, thanks'], ['PT50 0002 0123 1234 5678 9015 4', 'NIB {}'], ['LU28 0019 4006 4475 0000', '"iban": "{}"'],
  ['CZ65 0800 0000 1920 0014 5399', 'Účet {}'], ['HU42 1177 3016 1111 1018 0000 0000', 'Számla {}'], ['GR16 0110 1250 0000 0001 2300 695', 'Λογαριασμός {}'],
  ['HR1210010051863000160', 'Račun {}'], ['EE38 2200 2210 2014 5685', 'Konto {}'], ['LT12 1000 0111 0100 1000', 'Sąskaita {}'],
  ['MT84 MALT 0110 0001 2345 MTLC AST0 01S', 'Account {}'], ['SA03 8000 0000 6080 1016 7519', 'Transfer to {}'],
  ['AE07 0331 2345 6789 0123 456', 'UAE account {}'], ['TR33 0006 1005 1978 6457 8413 26', 'Hesap {}'], ['de89370400440532013000', 'lower case {} works too'],
  // Formats the first corpus missed (issue 16): Unicode spaces, dashes, lower case, more countries.
  ['DE89\u00A03704\u00A00044\u00A00532\u00A00130\u00A000', 'IBAN {}'], ['FR76\u202F3000\u202F6000\u202F0112\u202F3456\u202F7890\u202F189', 'IBAN : {}'],
  ['GB29\u2009NWBK\u20096016\u20091331\u20099268\u200919', 'Account {}'], ['gb29 nwbk 6016 1331 9268 19', 'lower {}'], ['DE89-3704-0044-0532-0130-00', 'Konto {}'],
  ['NL91 ABNA 0417 1643 00', 'iban={}&bic=ABNANL2A'], ['ES9121000418450200051332', '"IBAN":"{}"'], ['BR15 0000 0000 0000 1093 2840 814 P2', 'Conta {}'],
  ['IL62 0108 0000 0009 9999 999', 'Account {}'], ['KW81 CBKU 0000 0000 0000 1234 5601 01', 'Account {}'], ['QA58 DOHB 0000 1234 5678 90AB CDEF G', 'Account {}'],
  ['RO49 AAAA 1B31 0075 9384 0000', 'Cont {}'], ['SK31 1200 0000 1987 4263 7541', 'Účet {}'], ['SI56 2633 0001 2039 086', 'Račun {}'],
  ['BG80 BNBG 9661 1020 3456 78', 'Сметка {}'], ['LV80 BANK 0000 4351 9500 1', 'Konts {}'], ['IS14 0159 2600 7654 5510 7303 39', 'Reikningur {}'],
  ['CY17 0020 0128 0000 0012 0052 7600', 'Account {}'], ['MC58 1122 2000 0101 2345 6789 030', 'Compte {}'], ['LI21 0881 0000 2324 013A A', 'Konto {}'],
  ['PK36 SCBL 0000 0011 2345 6702', 'Account {}'], ['UA21 3223 1300 0002 6007 2335 6600 1', 'Рахунок {}'], ['AD12 0001 2030 2003 5910 0100', 'Compte {}'],
  ['RS35 2600 0560 1001 6113 79', 'Račun {}'], ['GE29 NB00 0000 0101 9049 17', 'Account {}'], ['EG38 0019 0005 0000 0000 2631 8000 2', 'Account {}'],
  ['CR05 0152 0200 1026 2840 66', 'Cuenta {}'], ['XK05 1212 0123 4567 8906', 'Llogaria {}'], ['BH67 BMAG 0000 1299 1234 56', 'Account {}'],
  ['DE89  3704  0044  0532  0130  00', 'IBAN (two spaces) {}'],
]);

const IPS = rows('ip', [
  ['192.168.1.1', 'The router is at {}'], ['10.0.0.254', 'ssh admin@{}'], ['172.16.254.3', 'Gateway {}.'], ['8.8.8.8', 'DNS server {}'],
  ['203.0.113.42', 'Request from {} was blocked'], ['198.51.100.7', 'client_ip={}'], ['100.64.0.1', 'CGNAT {}'], ['169.254.10.20', 'Link-local {}'],
  ['192.0.2.146', 'Blocked [{}]'], ['10.10.10.0', 'Subnet {}/24'], ['45.33.32.156', 'Scan target {}'], ['203.0.113.195', 'X-Forwarded-For: {}'],
  ['172.31.5.9', '"ip": "{}"'], ['1.2.3.4', 'Version {} is a dotted quad, so it is hidden as an address'], ['198.51.100.250', 'Last seen from {}, Berlin'],
  ['2001:db8::1', 'IPv6 {}'], ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', 'Full form {}'], ['2001:db8:85a3::8a2e:370:7334', 'Compressed {}.'],
  ['fe80::1ff:fe23:4567:890a', 'Link-local {}'], ['::ffff:192.0.2.128', 'Mapped {}'], ['2001:db8::', 'Prefix {} is documentation'],
  ['fd12:3456:789a:1::1', 'ULA {}'], ['2606:4700:4700::1111', 'Resolver {}'], ['2001:4860:4860::8888', 'Google DNS {}'],
  ['2001:db8::42', 'Connect to [{}]:443'], ['64:ff9b::198.51.100.1', 'NAT64 {}'], ['FE80:0000:0000:0000:0202:B3FF:FE1E:8329', 'Upper case {}'],
  ['2001:db8:0:0:1:0:0:1', 'Unshortened {}'], ['ff02::2', 'Multicast {}'], ['2001:db8:abcd:12::7', 'Host {}: reachable'],
  ['2001:db8:1::ab9:c0a8:102', '"ipv6":"{}"'],
  // Formats the first corpus missed (issue 16): labels, ports, brackets, logs.
  ['2001:db8::1', 'IP:{}'], ['2001:db8::5', 'IPv6:{}'], ['203.0.113.5', 'Listening on {}:8080'], ['2001:db8::9', '[{}]:8443'],
  ['198.51.100.23', 'ip={}&ua=x'], ['10.1.2.3', 'from {}, then'], ['2001:db8::7', 'ping {}%eth0'], ['fe80::1', 'gateway {}'],
  ['192.168.0.10', 'Host: {}\n'], ['2001:DB8::A', 'Upper {}'], ['198.51.100.77', '{} - - [11/Jun/2024:10:30:00 +0000] "GET / HTTP/1.1" 200 512'],
  ['::ffff:203.0.113.9', 'Client {}'], ['2001:db8:1:2:3:4:5:6', 'Full {}'], ['203.0.113.7', 'ssh root@{}'], ['198.51.100.3', '"remote_addr":"{}"'],
  ['2001:db8:cafe::17', 'X-Real-IP: {}'], ['192.168.1.23', 'inet {}/24 scope global'], ['fe80::a00:27ff:fe4e:66a1', 'inet6 {}/64 scope link'],
  ['203.0.113.200', 'IP:{}'], ['198.51.100.14', 'Failed password for root from {} port 22 ssh2'],
  ['198.51.100.7', 'X-Forwarded-For: {},unknown'], ['203.0.113.10', 'iptables -A INPUT -s {} -j DROP'],
  ['10-0-1-23', 'host ip-{}.ec2.internal is down'], ['203-0-113-5', 'Public DNS: ec2-{}.compute-1.amazonaws.com'],
]);

const SECRET_URLS = rows('secret_url', [
  ['https://admin:s3cr3t@db.example.com/admin', 'Log in at {}'], ['postgres://app_user:Pa55w0rd@10.0.0.5:5432/prod', 'DATABASE_URL={}'],
  ['mongodb+srv://svc:hunter2@cluster0.example.net/app', 'Mongo: {}'], ['redis://:p4ss@cache.example.com:6379', 'Cache at {}.'],
  ['https://api.example.com/v1/items?api_key=AKfake1234567890', 'curl {}'], ['https://example.com/reset?token=9f8e7d6c5b4a', 'Reset link: {}.'],
  ['https://app.example.com/callback#access_token=eyJfake.payload.sig&token_type=bearer', 'Redirected to {}'],
  ['https://example.com/oauth/callback?code=4/0AfakeCode&state=xyz', 'Callback {}'],
  ['https://bucket.s3.amazonaws.com/file.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAFAKE%2F20240611&X-Amz-Signature=abcdef0123', 'Download {} before it expires'],
  ['https://storage.googleapis.com/b/o?X-Goog-Signature=deadbeef', 'Signed: {}'],
  ['https://example.blob.core.windows.net/c/f.txt?sv=2022-11-02&sig=AbCdEf%3D', 'SAS {}'],
  ['https://hooks.example.com/services?secret=shh-123', 'Webhook ({})'], ['ftp://user:pass@ftp.example.org/pub/file.zip', 'Get {}!'],
  ['https://ghp_FAKEfakeFAKEfake1234567890@github.com/org/repo.git', 'git clone {}'], ['https://example.com/login?password=letmein', 'Bookmark: {}'],
  ['https://example.com/?apikey=XYZ987', '<a href="{}">link</a>'], ['https://maps.example.com/api/js?key=AIzaFakeKey123', '<script src="{}"></script>'],
  ['wss://stream.example.com/socket?auth=Bearer123', 'Socket {}'], ['https://example.com/dashboard;jsessionid=1A2B3C4D5E', 'Session URL {}'],
  ['https://example.com/app?session=abc123def', 'Shared {} with the team'], ['https://example.com/api?client_secret=cs_fake_001&client_id=abc', 'OAuth: {}'],
  ['https://example.com/verify?sig=0a1b2c', 'Verify via {}'], ['https://example.com/auth?refresh_token=rt_fake_42', 'Refresh with {}'],
  ['www.example.com/download?token=tok_abc123', 'Go to {} now'], ['https://example.com/a?id_token=eyJhbGciOi.fake.sig', 'ID token in {}'],
  ['amqp://guest:guest@rabbit.example.com:5672/vhost', 'Broker {}'], ['https://example.com/pay?amount=10&signature=f00ba4', '[Pay now]({})'],
  ['https://example.com/?access_token=ya29.fake-token', '"url": "{}"'], ['https://example.com/share?Token=ABC', 'Share {}, it expires'],
  ['http://user:pw@192.168.1.10:8080/status', 'Status page {}'], ['smtps://mailer:m4ilpw@smtp.example.com:465', 'SMTP_URL={}'],
  // Tokens in paths and more parameter names (issue 16). Chat webhooks are hidden too, but typed `secret`: see SECRETS.
  ['https://example.com/password-reset/Zm9vYmFyMTIzNDU2Nzg5MA', 'Reset here: {}'], ['https://example.com/activate/5f4dcc3b5aa765d61d8327deb882cf99', 'Activate: {}'],
  ['https://app.example.com/magic/AbC123dEf456GhI789', 'Sign in with {}'],
  ['https://api.telegram.org/bot123456789:AAHfakeTokenFAKEtoken1234567890abcde/sendMessage', 'curl {}'],
  ['https://example.com/reset-password/8f14e45fceea167a5a36dedd4bea2543', 'Reset: {}'],
  ['https://example.com/auth/magic-link/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl', 'Magic link {}'],
  ['https://example.com/#/reset?token=abc123', 'SPA link {}'], ['https://example.com/file?X-Amz-Security-Token=FQoGZXIvYXdzEfake', 'Get {}'],
  ['https://zoom.us/j/1234567890?pwd=AbCdEf123', 'Join {}'], ['HTTPS://EXAMPLE.COM/?TOKEN=ABC', 'Upper: {}'],
  ['https://example.com/download?ticket=ST-12345-abcdef', 'CAS {}'], ['https://example.com/confirm?confirmation_code=839201', 'Confirm {}'],
  ['https://example.com/api?Authorization=Bearer%20abc123', 'Odd but real: {}'], ['https://example.com/invite/Zx9Kq2LmP4Rt7Vw1Yb3N', 'Join via {}'],
  ['https://example.com/verify-email/Q2hlY2tUb2tlbjEyMzQ1Njc4', 'Verify {}'],
  ['app.example.com/reset?token=abc123', 'go to {} now'], ['example.com?api_key=xyz987', 'Key in the link: {}'],
  ['https://example.com/api?auth_key=ak_29f8e7', 'GET {}'], ['https://example.com/login?pin=4821&user=7', 'Kiosk {}'],
  ['https://idp.example.com/acs?SAMLResponse=PHNhbWxwOlJlc3BvbnNl', 'POST {}'], ['https://example.com/form?csrf=9b7c1e5f', 'Form at {}'],
]);

const NATIONAL_IDS = rows('national_id', [
  ['123-45-6789', 'SSN: {}'], ['078-05-1120', 'Social security number {}.'], ['219-09-9999', 'My SSN is {}'], ['536-22-1234', '(SSN {})'],
  ['001-01-0001', 'ssn={}'], ['665-12-3456', 'Taxpayer {}'], ['899-99-9999', 'SSN {} on the W-2'], ['457-55-5462', '"ssn": "{}"'],
  ['321-54-9876', 'Enter {} in the form'], ['212-67-4433', 'Applicant {}, born 1980'], ['404-23-1987', 'Verify {} please'], ['555-12-3456', 'SSN#{}'],
  ['772-10-1001', 'Spouse SSN {}'], ['610-33-2480', 'Dependent: {}'], ['AB 12 34 56 C', 'NI number {}'], ['AB123456C', 'National Insurance: {}.'],
  ['JG 10 37 54 A', 'NINO {}'], ['CE 12 34 56 D', 'My NI is {}'], ['HJ123456B', 'NINO:{}'], ['PZ 65 43 21 A', '({})'],
  // Formats the first corpus missed (issue 16): spaces, dots, Unicode dashes, lower case and dashed NINOs, labelled bare numbers.
  ['123 45 6789', 'SSN {}'], ['123.45.6789', 'SSN: {}'], ['219\u201309\u20139999', 'SSN {}'], ['078\u201105\u20111120', 'ssn {}'], ['536\u00A022\u00A01234', 'SSN {}'],
  ['457—55—5462', 'SSN {}'], ['123456789', 'SSN: {}'], ['078051120', 'ssn={}'], ['219099999', '"ssn":"{}"'], ['321549876', 'Social Security Number {}'],
  ['ab 12 34 56 c', 'NI number {}'], ['AB-12-34-56-C', 'NINO {}'], ['ab-12-34-56-c', 'NI: {}'], ['AB 123456 C', 'NINO {}'], ['AB123456 C', 'NI number {}'],
  ['ce123456d', 'National Insurance number: {}'], ['JG\u00A010\u00A037\u00A054\u00A0A', 'NI {}'], ['Pz 65 43 21 a', 'ni no {}'], ['HJ 12 34 56 B', '"nino":"{}"'],
  ['404 23 1987', 'SSN# {}'], ['AB 12 34 56', 'NINO {} (no letter)'], ['JG103754', 'National Insurance {}'],
  ['\uFF11\uFF12\uFF13\uFF0D\uFF14\uFF15\uFF0D\uFF16\uFF17\uFF18\uFF19', 'SSN {}'],
]);

/** Every item, grouped by type. */
export const PII_CORPUS: readonly PiiItem[] = Object.freeze([
  ...EMAILS, ...PHONES, ...CARDS, ...IBANS, ...IPS, ...SECRET_URLS, ...NATIONAL_IDS, ...SECRETS, ...INTL_IDS,
]);
