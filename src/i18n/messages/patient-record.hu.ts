/** Magyar: patient records, second part. Every key of ./patient-record.en.ts (the type makes the compiler check it). */
import type { PatientRecordKey } from './patient-record.en';

export const patientRecordHu: Record<PatientRecordKey, string> = {
  'patients.idType.cnp': 'CNP (román személyi numerikus kód)',
  'patients.idShort.cnp': 'CNP',
  'patients.cnpFormat': 'A CNP 13 számjegyből áll, az első 1 és 9 közötti.',
  'patients.cnpDate': 'Ebben a CNP-ben nincs érvényes születési dátum.',
  'patients.cnpCounty': 'Ebben a CNP-ben nincs érvényes megyekód.',
  'patients.cnpSerial': 'Ez a CNP nem érvényes (a sorszáma 000).',
  'patients.cnpCheck': 'Ez a CNP nem érvényes (az ellenőrző számjegy nem egyezik).',

  'patients.identifierOrReason': 'Adja meg az azonosítót, vagy válassza ki, miért nincs.',
  'patients.noIdentifierReasonInvalid': 'Válasszon: újszülött, külföldi vagy ismeretlen.',
  'patients.idTypeNotOffered': 'Ezt az azonosítótípust a klinika nem kínálja.',
  'patients.noIdentifierLabel': 'Nincs azonosító, mert',
  'patients.noIdentifierNone': '\u2014 (van azonosítója)',
  'patients.noIdentifierHint': 'Csak ha a páciensnek még nincs azonosítója. Ha beír egyet, ez törlődik.',
  'patients.noIdOption.newborn': 'Újszülött',
  'patients.noIdOption.foreign': 'Külföldi',
  'patients.noIdOption.unknown': 'Ismeretlen',
  'patients.noIdReason.newborn': 'újszülött',
  'patients.noIdReason.foreign': 'külföldi',
  'patients.noIdReason.unknown': 'ismeretlen',
  'patients.noIdentifierBecause': 'Nincs azonosító: {reason}',

  'patients.postalCode': 'Irányítószám',
  'patients.city': 'Település',
  'patients.streetAddress': 'Utca, házszám',
  'patients.address': 'Cím',
  'patients.postalCodeFormat': 'Használjon 3–12 betűt, számjegyet, szóközt vagy kötőjelet.',

  'patients.idTypesOffered': 'Felkínált azonosítótípusok',
  'patients.idTypesOfferedHint':
    'A páciensűrlapok csak ezeket kínálják. Akinek már más típusú azonosítója van, megtartja.',
  'patients.idTypesSave': 'Azonosítótípusok mentése',
  'patients.idTypesAtLeastOne': 'Válasszon legalább egy azonosítótípust.',
  'patients.idTypesUnknown': 'Ismeretlen azonosítótípus.',
  'patients.idTypesSaved': 'A felkínált azonosítótípusok mentve.',
};
