/** Every detector, one per kind (the name detector is run by the scanner, which shares names across fields). */
import { DeidDetector } from '../detector';
import { caseNumberDetector } from './case-number.detector';
import { dateOfBirthDetector } from './date-of-birth.detector';
import { emailDetector } from './email.detector';
import { exactAgeDateDetector } from './exact-age-date.detector';
import { fileNameDetector } from './file-name.detector';
import { geoCoordinatesDetector } from './geo-coordinates.detector';
import { initialsDetector } from './initials.detector';
import { medicaidIdDetector } from './medicaid-id.detector';
import { personalNameDetector } from './personal-name.detector';
import { phoneDetector } from './phone.detector';
import { quasiIdentifierDetector } from './quasi-identifier.detector';
import { socialHandleDetector } from './social-handle.detector';
import { ssnDetector } from './ssn.detector';
import { streetAddressDetector } from './street-address.detector';
import { tribalEnrollmentDetector } from './tribal-enrollment.detector';
import { vehicleIdDetector } from './vehicle-id.detector';

export const DETECTORS: readonly DeidDetector[] = [
  personalNameDetector,
  dateOfBirthDetector,
  exactAgeDateDetector,
  ssnDetector,
  phoneDetector,
  emailDetector,
  streetAddressDetector,
  caseNumberDetector,
  medicaidIdDetector,
  tribalEnrollmentDetector,
  vehicleIdDetector,
  socialHandleDetector,
  fileNameDetector,
  geoCoordinatesDetector,
  initialsDetector,
  quasiIdentifierDetector,
];
