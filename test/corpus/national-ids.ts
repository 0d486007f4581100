/**
 * National identifiers beyond the US and UK (German tax ID, French NIR, Indian Aadhaar
 * and PAN, passport numbers), with valid check digits. Every value is made up. Plain
 * data, no Node imports: the browser suite reads it too.
 *
 * The NIRs also fail Luhn, whole and in every run of groups: a Luhn-valid NIR would be
 * hidden as well, but as a card (the card detector ranks first on a tie).
 */
import { rows, type PiiItem } from './pii-item.js';

/** German Steuer-ID: 11 digits, MOD 11,10 check digit, one digit of the first ten repeated. */
const STEUER_IDS = rows('national_id', [
  ['53478072765', 'Steuer-ID: {}'],
  ['25 367 418 988', 'Meine Steuerliche Identifikationsnummer lautet {}.'],
  ['13234503679', 'IdNr {} (siehe Lohnsteuerbescheinigung)'],
  ['53 260 914 712', 'Steueridentifikationsnummer: {}'],
  ['98679934053', '"steuer_id": "{}"'],
  ['96483621677', 'Hallo, hier meine Steuer-ID {} für die Abrechnung'],
  ['86 345 337 291', 'TIN (DE) {}'],
  ['47235691871', 'tax_id={}'],
  ['57040091836', '| Müller, Anna | {} | Klasse 1 |'],
  ['61 833 049 379', 'Identifikationsnummer {}, Finanzamt Köln'],
  ['95248037172', 'steuerid: {}'],
  ['12730458002', 'Die ID ({}) steht oben rechts im Brief.'],
]);

/** French NIR: 13 characters (2A/2B for Corsica) and the key 97 − (n mod 97). */
const NIRS = rows('national_id', [
  ['2 29 07 75 636 393 82', 'Numéro de sécurité sociale : {}'],
  ['249106913829195', 'NIR {}'],
  ['1 28 09 13 306 029 26', 'Mon numéro de sécu est le {}, merci'],
  ['2 87 04 2A 401 214 16', 'N° SS : {} (Ajaccio)'],
  ['2 44 04 2B 997 111 87', 'Assurée {}, née à Bastia'],
  ['131073377574343', '"nir": "{}"'],
  ['1 55 03 59 615 586 51', 'Carte Vitale {}'],
  ['2 04 06 31 341 178 01', 'numero_secu={}'],
  ['226054450345812', 'Patient: {} / mutuelle ok'],
  ['2 92 12 67 931 205 75', 'Sécurité sociale n° {}.'],
  ['2 84 11 06 117 173 69', '- NIR : {}\n- Médecin traitant : oui'],
  ['229122A73231338', 'INSEE {}'],
  ['2 39 09 92 399 917 28', 'Le numéro {} figure sur l’attestation.'],
]);

/** Indian Aadhaar: 12 digits, first not 0 or 1, Verhoeff check digit. */
const AADHAAR = rows('national_id', [
  ['9141 8968 7790', 'Aadhaar: {}'],
  ['994130450287', 'My Aadhaar number is {}'],
  ['5430 7461 0181', 'UID {} linked to PAN'],
  ['2462-3849-9825', 'Aadhaar no. {}.'],
  ['241923731159', '"aadhaar": "{}"'],
  ['9325 2781 4172', 'आधार संख्या {}'],
  ['6113 5573 7793', 'KYC done with {} yesterday'],
  ['604940323964', 'aadhaar_number={}'],
  ['6253 4383 7428', 'Please verify {} for the SIM'],
  ['5400 1606 5251', '(Aadhaar {})'],
  ['8507 2502 1891', 'Enrolment complete, UID: {}'],
  ['3162 1218 8757', 'Customer {} asked for an e-KYC refresh'],
]);

/** Indian PAN: five letters (the fourth says who holds it), four digits, a letter. */
const PANS = rows('national_id', [
  ['BNZPM2501F', 'PAN: {}'],
  ['AFZPK7190K', 'My PAN card number is {}'],
  ['AAACR5055K', 'Company PAN {} (Pvt Ltd)'],
  ['AABFT1234E', 'Firm PAN {}, GSTIN pending'],
  ['AAAHS4321D', '"pan": "{}"'],
  ['AAATB0987L', 'Trust {} files Form 10B'],
  ['ACLPD6543Q', 'pan_number={}'],
  ['BQXPS8765R', 'Please quote {} on the invoice.'],
]);

/** Passport numbers: hidden only after a word that says so. */
const PASSPORTS = rows('national_id', [
  ['C01X00T47', 'Passport No. {}'],
  ['123456789', 'My passport number is {}, expires 2031'],
  ['12AB34567', 'Numéro de passeport : {}'],
  ['C4J9F2K57', 'Reisepass-Nr.: {}'],
  ['PAA123456', 'Pasaporte número {}'],
  ['YA1234567', 'Passaporto n. {}'],
  ['J8369854', 'passport: {}'],
  ['548219736', 'Passport #: {} (UK)'],
  ['L7H29C043', 'Reisepassnummer {} bitte eintragen'],
  ['Z4829172', '"passport_no": "{}"'],
  ['09AK72345', 'passeport n° {}'],
  ['K01234567', 'Travel doc: passport {} issued in Delhi'],
]);

export const INTL_IDS: readonly PiiItem[] = [...STEUER_IDS, ...NIRS, ...AADHAAR, ...PANS, ...PASSPORTS];
