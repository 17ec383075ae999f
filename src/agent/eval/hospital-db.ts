/**
 * The third eval suite's database: a small hospital, built to share no naming habit with the movies demo
 * or the shop. Plural and singular table names, camelCase (`deptId`, `admissionDate`) and prefixed
 * (`pat_id`, `pat_last_name`) columns, text keys (`ward_code`), a self-referencing key
 * (`staff.manager_id`), a composite-key link table with a qualifier (`care_team.role`), real DATE columns
 * next to text dates and text timestamps, NULLs, accented names, and tables with two name-like columns
 * (first/last name, brand/generic name). Fixed rows plus seeded pseudo-random admissions: every build is
 * identical (evals/hospital.sqlite is this, committed; a unit test checks they agree).
 */
import Database from 'better-sqlite3';
import { seededRandom } from '../../connectors/sqlite/demo-db.js';
import { insertRows, numbered } from './insert-rows.js';

// [deptName, short_name, floorNo, wing]
const DEPARTMENTS: [string, string, number, string | null][] = [
  ['Cardiology', 'CARD', 3, 'North'], ['Orthopaedics', 'ORTH', 2, 'East'], ['Paediatrics', 'PAED', 1, 'South'],
  ['Neurology', 'NEURO', 4, 'North'], ['Emergency Medicine', 'ER', 0, 'West'], ['Dermatology', 'DERM', 5, null],
];

// [ward_code, ward_name, deptId, beds]
const WARDS: [string, string, number, number][] = [
  ['C1', 'Cardiac Care Unit', 1, 12], ['C2', 'Heart Failure Ward', 1, 18], ['O1', 'Fracture Ward', 2, 20], ['P1', "Children's Ward", 3, 16],
  ['P2', 'Neonatal Unit', 3, 8], ['N1', 'Stroke Unit', 4, 10], ['E1', 'Acute Assessment', 5, 24], ['E2', 'Observation Bay', 5, 6],
];

// [first_name, last_name, job_title, hired_on, salary, deptId, manager_id]
const STAFF: [string, string, string, string, number | null, number | null, number | null][] = [
  ['Inès', 'Moreau', 'Chief Medical Officer', '2009-04-01', 210000, null, null],
  ['Karim', 'Haddad', 'Cardiologist', '2012-09-15', 165000, 1, 1],
  ['Sofia', 'Lindqvist', 'Cardiologist', '2018-01-08', 148000, 1, 2],
  ['Tomás', 'Herrera', 'Orthopaedic Surgeon', '2011-06-20', 172000, 2, 1],
  ['Grace', 'Okafor', 'Orthopaedic Surgeon', '2019-03-11', 151000, 2, 4],
  ['Mei', 'Tanaka', 'Paediatrician', '2015-11-02', 139000, 3, 1],
  ['Ólafur', 'Jónsson', 'Neurologist', '2016-05-23', 158000, 4, 1],
  ['Chloé', 'Dubois', 'Emergency Physician', '2020-02-17', 132000, 5, 1],
  ['Liam', "O'Connor", 'Nurse', '2017-07-03', 61000, 1, 2],
  ['Aisha', 'Rahman', 'Nurse', '2021-10-11', 58000, 2, 4],
  ['Björn', 'Svensson', 'Nurse', '2014-01-20', 64000, 3, 6],
  ['Elena', 'Rossi', 'Nurse', '2022-08-29', null, 4, 7],
  ['Jamal', 'Baker', 'Nurse', '2019-12-09', 59500, 5, 8],
  ['Hélène', 'Girard', 'Nurse', '2013-03-04', 66000, 1, 2],
  ['Pedro', 'Alves', 'Anaesthetist', '2016-09-12', 155000, 2, 4],
  ['Yuki', 'Sato', 'Nurse', '2023-05-15', 55000, 3, 6],
];

// [pat_first_name, pat_last_name, birthDate (text), sex, city, blood_type, insurer]
const PATIENTS: [string, string, string, string, string, string | null, string | null][] = [
  ['Zoé', 'Lefèvre', '1984-03-12', 'F', 'Lyon', 'A+', 'Mutuelle Santé'], ['Jürgen', 'Müller', '1951-07-30', 'M', 'Köln', 'O+', 'AOK'],
  ['Mónica', 'Peña', '1979-11-02', 'F', 'Sevilla', null, 'Sanitas'], ['François', 'Côté', '1962-01-19', 'M', 'Québec', 'B-', null],
  ['Amara', 'Nwosu', '2015-05-08', 'F', 'Lyon', 'O-', 'Mutuelle Santé'], ['Henrik', 'Dahl', '1988-09-27', 'M', 'Malmö', 'A-', 'Folksam'],
  ['Lucía', 'Ortega', '1993-12-14', 'F', 'Madrid', 'AB+', 'Sanitas'], ['Owen', 'Price', '1946-02-03', 'M', 'Cardiff', null, null],
  ['Agnieszka', 'Kowalska', '1985-06-21', 'F', 'Kraków', 'A+', 'NFZ'], ['Mathéo', 'Garnier', '2019-10-30', 'M', 'Lyon', 'B+', 'Mutuelle Santé'],
  ['Sinéad', 'Byrne', '1971-04-09', 'F', 'Dublin', 'O+', 'VHI'], ['Rafael', 'Souza', '1958-08-16', 'M', 'Porto', 'A+', null],
  ['Noor', 'Hassan', '2001-01-25', 'F', 'Lyon', null, 'Mutuelle Santé'], ['Emil', 'Novák', '1967-03-03', 'M', 'Brno', 'O+', 'VZP'],
  ['Ingrid', 'Berg', '1982-12-01', 'F', 'Oslo', 'AB-', null], ['Théo', 'Marchand', '2012-07-07', 'M', 'Nantes', 'O+', 'Mutuelle Santé'],
  ['Greta', 'Schäfer', '1939-05-18', 'F', 'München', 'A-', 'AOK'], ['Diego', 'Fernández', '1990-02-28', 'M', 'Valencia', 'B+', 'Sanitas'],
  ['Aoife', 'Kelly', '1986-10-10', 'F', 'Cork', 'O-', 'VHI'], ['Marius', 'Popescu', '1975-09-05', 'M', 'Cluj', null, null],
  ['Elsa', 'Håkansson', '1999-04-17', 'F', 'Göteborg', 'A+', 'Folksam'], ['Victor', 'Lambert', '1953-11-29', 'M', 'Lille', 'B-', 'Mutuelle Santé'],
  ['Léa', 'Fontaine', '1981-08-08', 'F', 'Paris', 'O+', 'MGEN'], ['Kofi', 'Mensah', '1968-06-30', 'M', 'Bordeaux', 'A+', null],
];

// [drug_code, drugName, generic_name, drugClass, unit_price]
const DRUGS: [string, string, string, string, number][] = [
  ['ATV20', 'Lipitor', 'atorvastatin', 'statin', 0.85], ['MET500', 'Glucophage', 'metformin', 'antidiabetic', 0.12],
  ['AMX500', 'Amoxil', 'amoxicillin', 'antibiotic', 0.3], ['IBU400', 'Brufen', 'ibuprofen', 'NSAID', 0.08],
  ['PCM1G', 'Doliprane', 'paracetamol', 'analgesic', 0.05], ['WAR5', 'Coumadin', 'warfarin', 'anticoagulant', 0.22],
  ['LEV500', 'Keppra', 'levetiracetam', 'anticonvulsant', 1.4], ['MOR10', 'Oramorph', 'morphine', 'opioid', 2.1],
  ['CEF1G', 'Rocephin', 'ceftriaxone', 'antibiotic', 3.5],
];
/** Drugs given per department (index into DRUGS); ceftriaxone is never prescribed. */
const DEPT_DRUGS: Record<number, number[]> = { 1: [0, 5, 4], 2: [3, 7, 4], 3: [2, 4, 3], 4: [6, 5, 4], 5: [4, 3, 7, 2] };
const REASONS: Record<number, string[]> = {
  1: ['chest pain', 'heart failure', 'arrhythmia'], 2: ['hip fracture', 'knee replacement', 'wrist fracture'], 3: ['bronchiolitis', 'appendicitis'],
  4: ['stroke', 'seizure'], 5: ['chest pain', 'fall', 'observation'],
};

export function buildHospitalDatabase(file: string): void {
  const db = new Database(file);
  try {
    db.exec(`
      CREATE TABLE departments (deptId INTEGER PRIMARY KEY, deptName TEXT NOT NULL, short_name TEXT, floorNo INTEGER, wing TEXT);
      CREATE TABLE ward (ward_code TEXT PRIMARY KEY, ward_name TEXT NOT NULL, deptId INTEGER REFERENCES departments(deptId), beds INTEGER);
      CREATE TABLE staff (staff_id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT NOT NULL, job_title TEXT, hired_on DATE, salary REAL,
        deptId INTEGER REFERENCES departments(deptId), manager_id INTEGER REFERENCES staff(staff_id));
      CREATE TABLE patient (pat_id INTEGER PRIMARY KEY, pat_first_name TEXT, pat_last_name TEXT NOT NULL, birthDate TEXT, sex TEXT, city TEXT,
        blood_type TEXT, insurer TEXT);
      CREATE TABLE admissions (adm_id INTEGER PRIMARY KEY, pat_id INTEGER NOT NULL REFERENCES patient(pat_id), ward_code TEXT REFERENCES ward(ward_code),
        admissionDate DATE NOT NULL, dischargeDate DATE, reason TEXT, total_cost REAL);
      CREATE TABLE care_team (adm_id INTEGER REFERENCES admissions(adm_id), staff_id INTEGER REFERENCES staff(staff_id), role TEXT,
        PRIMARY KEY (adm_id, staff_id, role));
      CREATE TABLE drug (drug_code TEXT PRIMARY KEY, drugName TEXT NOT NULL, generic_name TEXT, drugClass TEXT, unit_price REAL);
      CREATE TABLE prescription (rx_id INTEGER PRIMARY KEY, adm_id INTEGER REFERENCES admissions(adm_id), drug_code TEXT REFERENCES drug(drug_code),
        dose_mg REAL, prescribed_at TEXT);
    `);
    const random = seededRandom(20260212);
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
    db.transaction(() => {
      insertRows(db, 'departments', numbered(DEPARTMENTS));
      insertRows(db, 'ward', WARDS);
      insertRows(db, 'staff', numbered(STAFF));
      insertRows(db, 'patient', numbered(PATIENTS));
      insertRows(db, 'drug', DRUGS);

      const admission = db.prepare('INSERT INTO admissions VALUES (?, ?, ?, ?, ?, ?, ?)');
      const member = db.prepare('INSERT INTO care_team VALUES (?, ?, ?)');
      const prescription = db.prepare('INSERT INTO prescription VALUES (?, ?, ?, ?, ?)');
      const staffOf = (dept: number, nurse: boolean) => STAFF.flatMap((s, index) => (s[5] === dept && (s[2] === 'Nurse') === nurse && s[2] !== 'Anaesthetist' ? [index + 1] : []));
      let rx = 1;
      // The last three patients were never admitted: anti-join tasks need someone to find.
      for (let id = 1; id <= 64; id++) {
        const [code, , dept] = WARDS[(id - 1) % WARDS.length]!;
        const patientId = 1 + Math.floor(random() * (PATIENTS.length - 3));
        const start = Date.UTC(2023, 0, 1) + Math.floor(random() * 720) * 86_400_000;
        const stay = 1 + Math.floor(random() * 16);
        const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
        // One in eight is still in hospital.
        const discharged = random() < 0.875 ? day(start + stay * 86_400_000) : null;
        admission.run(id, patientId, code, day(start), discharged, pick(REASONS[dept]!), Math.round((800 + random() * 9000) * 100) / 100);
        member.run(id, pick(staffOf(dept, false)), 'attending');
        member.run(id, pick(staffOf(dept, true)), 'nurse');
        if (dept === 2 && random() < 0.7) {
          member.run(id, pick([4, 5]), 'surgeon');
          member.run(id, 15, 'anaesthetist');
        }
        const count = Math.floor(random() * 3);
        for (let k = 0; k < count; k++) {
          const at = start + Math.floor(random() * stay) * 86_400_000 + (8 + Math.floor(random() * 12)) * 3_600_000;
          const minutes = String(Math.floor(random() * 4) * 15).padStart(2, '0');
          const drugIndex = pick(DEPT_DRUGS[dept]!);
          prescription.run(rx++, id, DRUGS[drugIndex]![0], pick([5, 10, 20, 250, 500, 1000]), `${new Date(at).toISOString().slice(0, 13).replace('T', ' ')}:${minutes}`);
        }
      }
    })();
  } finally {
    db.close();
  }
}
