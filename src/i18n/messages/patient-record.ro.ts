/** Română: patient records, second part. Every key of ./patient-record.en.ts (the type makes the compiler check it). */
import type { PatientRecordKey } from './patient-record.en';

export const patientRecordRo: Record<PatientRecordKey, string> = {
  'patients.idType.cnp': 'CNP (cod numeric personal)',
  'patients.idShort.cnp': 'CNP',
  'patients.cnpFormat': 'Un CNP are 13 cifre, prima fiind între 1 și 9.',
  'patients.cnpDate': 'Acest CNP nu conține o dată de naștere validă.',
  'patients.cnpCounty': 'Acest CNP nu conține un cod de județ valid.',
  'patients.cnpSerial': 'Acest CNP nu este valid (numărul de ordine este 000).',
  'patients.cnpCheck': 'Acest CNP nu este valid (cifra de control nu se potrivește).',

  'patients.identifierOrReason': 'Introduceți identificatorul sau alegeți de ce pacientul nu are unul.',
  'patients.noIdentifierReasonInvalid': 'Alegeți: nou-născut, străin sau necunoscut.',
  'patients.idTypeNotOffered': 'Clinica nu oferă acest tip de identificator.',
  'patients.noIdentifierLabel': 'Fără identificator, deoarece',
  'patients.noIdentifierNone': '\u2014 (are identificator)',
  'patients.noIdentifierHint':
    'Doar dacă pacientul nu are încă identificator. Dacă introduceți unul, această alegere se șterge.',
  'patients.noIdOption.newborn': 'Nou-născut',
  'patients.noIdOption.foreign': 'Străin',
  'patients.noIdOption.unknown': 'Necunoscut',
  'patients.noIdReason.newborn': 'nou-născut',
  'patients.noIdReason.foreign': 'străin',
  'patients.noIdReason.unknown': 'necunoscut',
  'patients.noIdentifierBecause': 'Fără identificator: {reason}',

  'patients.postalCode': 'Cod poștal',
  'patients.city': 'Localitate',
  'patients.streetAddress': 'Stradă și număr',
  'patients.address': 'Adresă',
  'patients.postalCodeFormat': 'Folosiți 3–12 litere, cifre, spații sau cratime.',

  'patients.idTypesOffered': 'Tipuri de identificator oferite',
  'patients.idTypesOfferedHint':
    'Formularele pentru pacienți oferă doar aceste tipuri. Pacienții care au deja alt tip îl păstrează.',
  'patients.idTypesSave': 'Salvați tipurile de identificator',
  'patients.idTypesAtLeastOne': 'Alegeți cel puțin un tip de identificator.',
  'patients.idTypesUnknown': 'Tip de identificator necunoscut.',
  'patients.idTypesSaved': 'Tipurile de identificator oferite au fost salvate.',
};
