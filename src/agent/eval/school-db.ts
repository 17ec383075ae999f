/**
 * The fifth eval suite's database: a school's legacy schema, written to share no naming habit with the
 * other four. `tbl_` table prefixes, Hungarian-style column prefixes and suffixes (`dt_hired`, `flg_tenured`,
 * `salary_amt`, `dept_nm`: "nm" for name), a text key (`course_cd`), a self-standing advisor key from
 * students to teachers, a three-column composite key with a text term ('2024-FALL'), grades as points.
 * Fixed rows plus seeded pseudo-random enrolments: every build is identical (evals/school.sqlite is this,
 * committed; a unit test checks they agree).
 */
import Database from 'better-sqlite3';
import { seededRandom } from '../../connectors/sqlite/demo-db.js';
import { insertRows, numbered } from './insert-rows.js';

// [dept_nm, building]
const DEPARTMENTS: [string, string][] = [['Mathematics', 'Euler Hall'], ['Physics', 'Curie Building'], ['History', 'Old Library'], ['Languages', 'Babel House']];

// [first_nm, last_nm, dept_id, dt_hired, salary_amt, flg_tenured]
const TEACHERS: [string, string, number, string, number, number][] = [
  ['Ada', 'Lovelace', 1, '2008-09-01', 72000, 1], ['Kurt', 'Gödel', 1, '2019-01-07', 61000, 0], ['Lise', 'Meitner', 2, '2011-09-01', 69000, 1],
  ['Niels', 'Bohr', 2, '2021-09-01', 58000, 0], ['Mary', 'Beard', 3, '2005-02-14', 75000, 1], ['Ibn', 'Khaldun', 3, '2016-09-01', 63000, 1],
  ['Noam', 'Chomsky', 4, '2013-09-01', 66000, 1], ['Jhumpa', 'Lahiri', 4, '2022-01-10', 57000, 0],
];

// [course_cd, course_title, dept_id, credits, teacher_id]
const COURSES: [string, string, number, number, number | null][] = [
  ['MA101', 'Calculus I', 1, 6, 1], ['MA201', 'Linear Algebra', 1, 6, 2], ['MA305', 'Logic', 1, 4, 2], ['PH101', 'Mechanics', 2, 6, 3],
  ['PH220', 'Quantum Physics', 2, 6, 4], ['HI110', 'Ancient Rome', 3, 4, 5], ['HI240', 'Medieval Maghreb', 3, 4, 6], ['LA100', 'Linguistics', 4, 4, 7],
  ['LA150', 'Creative Writing', 4, 3, 8], ['HI300', 'Historiography', 3, 3, null],
];

// [first_nm, last_nm, dt_birth, city, flg_scholarship, advisor_id]
const STUDENTS: [string, string, string, string, number, number | null][] = [
  ['Amélie', 'Durand', '2003-04-11', 'Lyon', 1, 1], ['Bruno', 'Costa', '2002-12-30', 'Porto', 0, 3], ['Chiara', 'Ricci', '2004-07-19', 'Bologna', 0, 5],
  ['Dmitri', 'Volkov', '2001-02-02', 'Riga', 1, 1], ['Eun-ji', 'Park', '2003-10-05', 'Busan', 0, 7], ['Finn', 'Olsen', '2004-01-23', 'Bergen', 0, null],
  ['Greta', 'Lindahl', '2002-06-15', 'Uppsala', 1, 3], ['Hamza', 'Benali', '2003-03-08', 'Lyon', 0, 6], ['Isla', 'Moffat', '2004-11-27', 'Leith', 0, 8],
  ['Jonas', 'Weber', '2001-09-09', 'Bremen', 1, 2], ['Kaito', 'Mori', '2003-05-31', 'Sendai', 0, 4], ['Lucía', 'Navarro', '2002-08-20', 'Cádiz', 0, 5],
  ['Mateo', 'Silva', '2004-02-29', 'Porto', 0, null], ['Nora', 'Haddad', '2003-12-12', 'Lyon', 1, 7],
];

const TERMS = ['2023-FALL', '2024-SPRING', '2024-FALL', '2025-SPRING'];

export function buildSchoolDatabase(file: string): void {
  const db = new Database(file);
  try {
    db.exec(`
      CREATE TABLE tbl_department (dept_id INTEGER PRIMARY KEY, dept_nm TEXT NOT NULL, building TEXT);
      CREATE TABLE tbl_teacher (teacher_id INTEGER PRIMARY KEY, first_nm TEXT, last_nm TEXT NOT NULL, dept_id INTEGER REFERENCES tbl_department(dept_id),
        dt_hired DATE, salary_amt REAL, flg_tenured INTEGER NOT NULL);
      CREATE TABLE tbl_course (course_cd TEXT PRIMARY KEY, course_title TEXT NOT NULL, dept_id INTEGER REFERENCES tbl_department(dept_id), credits INTEGER,
        teacher_id INTEGER REFERENCES tbl_teacher(teacher_id));
      CREATE TABLE tbl_student (student_id INTEGER PRIMARY KEY, first_nm TEXT, last_nm TEXT NOT NULL, dt_birth DATE, city TEXT, flg_scholarship INTEGER NOT NULL,
        advisor_id INTEGER REFERENCES tbl_teacher(teacher_id));
      CREATE TABLE tbl_enrollment (student_id INTEGER REFERENCES tbl_student(student_id), course_cd TEXT REFERENCES tbl_course(course_cd), term TEXT NOT NULL,
        grade_pts REAL, PRIMARY KEY (student_id, course_cd, term));
    `);
    const random = seededRandom(20261207);
    db.transaction(() => {
      insertRows(db, 'tbl_department', numbered(DEPARTMENTS));
      insertRows(db, 'tbl_teacher', numbered(TEACHERS));
      insertRows(db, 'tbl_course', COURSES);
      insertRows(db, 'tbl_student', numbered(STUDENTS));
      const enrol = db.prepare('INSERT INTO tbl_enrollment VALUES (?, ?, ?, ?)');
      // Historiography (HI300) has no one enrolled; the last student has no enrolment yet; a grade is missing while a term runs.
      for (let id = 1; id < STUDENTS.length; id++) {
        const taken = new Set<string>();
        const count = 2 + Math.floor(random() * 4);
        for (let k = 0; k < count; k++) {
          const [code] = COURSES[Math.floor(random() * (COURSES.length - 1))]!;
          const term = TERMS[Math.floor(random() * TERMS.length)]!;
          if (taken.has(`${code}/${term}`)) continue;
          taken.add(`${code}/${term}`);
          enrol.run(id, code, term, term === '2025-SPRING' && random() < 0.5 ? null : Math.round((1 + random() * 3) * 10) / 10);
        }
      }
    })();
  } finally {
    db.close();
  }
}
