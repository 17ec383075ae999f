/**
 * The ninth eval suite's database: a company's staff records shaped like MySQL's well-known `employees`
 * sample (its table and column names, synthetic rows). Keys named `<thing>_no` (`emp_no` a number,
 * `dept_no` a code like `d005`), gender as a one-letter code (`M`/`F`), and facts that hold for a time
 * (`from_date`, `to_date`; `9999-01-01` means "still so"): an employee's department, title and salary
 * change over the years, and a department's manager too. Seeded pseudo-random histories: every build is
 * identical (evals/staff.sqlite is this, committed; a unit test checks they agree).
 */
import Database from 'better-sqlite3';
import { seededRandom } from '../../connectors/sqlite/demo-db.js';
import { insertRows } from './insert-rows.js';

const DEPARTMENTS: [string, string][] = [
  ['d001', 'Marketing'], ['d002', 'Finance'], ['d003', 'Human Resources'], ['d004', 'Production'], ['d005', 'Development'],
  ['d006', 'Quality Management'], ['d007', 'Sales'], ['d008', 'Research'], ['d009', 'Customer Service'],
];
const FIRST: [string, 'M' | 'F'][] = [
  ['Georgi', 'M'], ['Bezalel', 'F'], ['Parto', 'M'], ['Chirstian', 'M'], ['Kyoichi', 'M'], ['Anneke', 'F'], ['Tzvetan', 'F'], ['Saniya', 'M'],
  ['Sumant', 'F'], ['Duangkaew', 'F'], ['Mary', 'F'], ['Patricio', 'M'], ['Eberhardt', 'M'], ['Berni', 'M'], ['Guoxiang', 'M'], ['Kazuhito', 'M'],
  ['Cristinel', 'M'], ['Kazuhide', 'F'], ['Lillian', 'M'], ['Mayuko', 'M'], ['Ramzi', 'M'], ['Shahaf', 'M'], ['Bojan', 'F'], ['Suzette', 'F'],
];
const LAST = ['Facello', 'Simmel', 'Bamford', 'Koblick', 'Maliniak', 'Preusig', 'Zielinski', 'Kalloufi', 'Peac', 'Piveteau', 'Sluis', 'Bridgland', 'Terkki', 'Genin', 'Nooteboom', 'Cappelletti'];
const TITLES: Record<string, [string, string]> = {
  d001: ['Staff', 'Senior Staff'], d002: ['Staff', 'Senior Staff'], d003: ['Staff', 'Senior Staff'], d004: ['Engineer', 'Senior Engineer'],
  d005: ['Engineer', 'Senior Engineer'], d006: ['Technique Leader', 'Senior Engineer'], d007: ['Staff', 'Senior Staff'], d008: ['Engineer', 'Senior Engineer'],
  d009: ['Assistant Engineer', 'Engineer'],
};
const STILL = '9999-01-01';
const EMPLOYEES = 60;

export function buildStaffDatabase(file: string): void {
  const db = new Database(file);
  try {
    db.exec(`
      CREATE TABLE employees (emp_no INTEGER PRIMARY KEY, birth_date DATE NOT NULL, first_name TEXT NOT NULL, last_name TEXT NOT NULL, gender TEXT NOT NULL CHECK (gender IN ('M', 'F')), hire_date DATE NOT NULL);
      CREATE TABLE departments (dept_no CHAR(4) PRIMARY KEY, dept_name VARCHAR(40) NOT NULL UNIQUE);
      CREATE TABLE dept_emp (emp_no INTEGER NOT NULL REFERENCES employees(emp_no), dept_no CHAR(4) NOT NULL REFERENCES departments(dept_no), from_date DATE NOT NULL, to_date DATE NOT NULL, PRIMARY KEY (emp_no, dept_no));
      CREATE TABLE dept_manager (emp_no INTEGER NOT NULL REFERENCES employees(emp_no), dept_no CHAR(4) NOT NULL REFERENCES departments(dept_no), from_date DATE NOT NULL, to_date DATE NOT NULL, PRIMARY KEY (emp_no, dept_no));
      CREATE TABLE titles (emp_no INTEGER NOT NULL REFERENCES employees(emp_no), title VARCHAR(50) NOT NULL, from_date DATE NOT NULL, to_date DATE, PRIMARY KEY (emp_no, title, from_date));
      CREATE TABLE salaries (emp_no INTEGER NOT NULL REFERENCES employees(emp_no), salary INTEGER NOT NULL, from_date DATE NOT NULL, to_date DATE NOT NULL, PRIMARY KEY (emp_no, from_date));
    `);
    const random = seededRandom(2024);
    const pick = (n: number) => Math.floor(random() * n);
    const date = (year: number, dayOfYear: number) => new Date(Date.UTC(year, 0, 1 + dayOfYear)).toISOString().slice(0, 10);
    const employees: unknown[][] = [];
    const deptEmp: unknown[][] = [];
    const titles: unknown[][] = [];
    const salaries: unknown[][] = [];
    for (let k = 0; k < EMPLOYEES; k++) {
      const empNo = 10001 + k;
      const [first, gender] = FIRST[k % FIRST.length]!;
      const hireYear = 1985 + pick(15);
      const hired = date(hireYear, pick(360));
      employees.push([empNo, date(1952 + pick(13), pick(360)), first, LAST[(k * 7) % LAST.length]!, gender, hired]);
      // One employee in eight has left; one in five moved to another department once.
      const leftYear = k % 8 === 3 ? Math.min(2001, hireYear + 2 + pick(6)) : undefined;
      const end = leftYear === undefined ? STILL : date(leftYear, pick(360));
      const dept = DEPARTMENTS[pick(DEPARTMENTS.length)]![0];
      if (k % 5 === 1 && leftYear === undefined) {
        const moved = date(hireYear + 3, 100);
        const before = DEPARTMENTS[(DEPARTMENTS.findIndex(([no]) => no === dept) + 1) % DEPARTMENTS.length]![0];
        deptEmp.push([empNo, before, hired, moved], [empNo, dept, moved, STILL]);
      } else {
        deptEmp.push([empNo, dept, hired, end]);
      }
      // A first title, and for most a promotion later on.
      const [junior, senior] = TITLES[dept]!;
      const promoted = k % 3 !== 0 ? date(hireYear + 5, pick(360)) : undefined;
      if (promoted !== undefined && (leftYear === undefined || leftYear > hireYear + 6)) {
        titles.push([empNo, junior, hired, promoted], [empNo, senior, promoted, end]);
      } else {
        titles.push([empNo, junior, hired, end]);
      }
      // A raise every few years, up to the end.
      let salary = 40_000 + pick(40) * 1000;
      let from = hired;
      for (let year = hireYear + 3; ; year += 3) {
        const last = year > (leftYear ?? 2002);
        const to = last ? end : date(year, 10);
        salaries.push([empNo, salary, from, to]);
        if (last) break;
        from = to;
        salary += 2000 + pick(20) * 500;
      }
    }
    // Every department has a manager now; three had another before.
    const managers: unknown[][] = [];
    DEPARTMENTS.forEach(([deptNo], d) => {
      const staff = deptEmp.filter((row) => row[1] === deptNo && row[3] === STILL).map((row) => row[0] as number);
      const now = staff[0] ?? 10001 + d;
      if (d % 3 === 0) {
        const before = 10001 + ((d * 11 + 5) % EMPLOYEES);
        managers.push([before, deptNo, '1988-01-01', '1996-06-30']);
        if (before !== now) managers.push([now, deptNo, '1996-06-30', STILL]);
      } else {
        managers.push([now, deptNo, '1990-01-01', STILL]);
      }
    });
    db.transaction(() => {
      insertRows(db, 'employees', employees);
      insertRows(db, 'departments', DEPARTMENTS);
      insertRows(db, 'dept_emp', deptEmp);
      insertRows(db, 'dept_manager', managers);
      insertRows(db, 'titles', titles);
      insertRows(db, 'salaries', salaries);
    })();
  } finally {
    db.close();
  }
}
