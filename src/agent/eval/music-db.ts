/**
 * The sixth eval suite's database: a music store shaped like the well-known Chinook sample (its table and
 * column names, synthetic rows), the kind of schema outside checks reach for. PascalCase columns
 * (`ArtistId`, `InvoiceDate`), a money column called `Total`, a duration in `Milliseconds`, a key to its own
 * table called `ReportsTo`, a two-word table (`InvoiceLine`), the price in two tables (`Track.UnitPrice`,
 * `InvoiceLine.UnitPrice`), keys named as nouns (`SupportRepId`). Seeded pseudo-random tracks and invoices:
 * every build is identical (evals/music.sqlite is this, committed; a unit test checks they agree).
 */
import Database from 'better-sqlite3';
import { insertRows } from './insert-rows.js';
import { seededRandom } from '../../connectors/sqlite/demo-db.js';

const ARTISTS = ['AC/DC', 'Accept', 'Aerosmith', 'Miles Davis', 'Os Paralamas', 'Nirvana'];
// [Title, ArtistId]
const ALBUMS: [string, number][] = [
  ['For Those About To Rock', 1], ['Let There Be Rock', 1], ['Balls to the Wall', 2], ['Big Ones', 3], ['Kind of Blue', 4], ['Vamo Batê Lata', 5], ['Nevermind', 6],
];
const GENRES = ['Rock', 'Jazz', 'Metal', 'Latin', 'Blues'];
// [LastName, FirstName, Title, ReportsTo, BirthDate, HireDate, City, Country, Email]
const EMPLOYEES: [string, string, string, number | null, string, string, string, string, string][] = [
  ['Adams', 'Andrew', 'General Manager', null, '1962-02-18', '2002-08-14', 'Edmonton', 'Canada', 'andrew@chinook.com'],
  ['Edwards', 'Nancy', 'Sales Manager', 1, '1958-12-08', '2002-05-01', 'Calgary', 'Canada', 'nancy@chinook.com'],
  ['Peacock', 'Jane', 'Sales Support Agent', 2, '1973-08-29', '2002-04-01', 'Calgary', 'Canada', 'jane@chinook.com'],
  ['Park', 'Margaret', 'Sales Support Agent', 2, '1947-09-19', '2003-05-03', 'Calgary', 'Canada', 'margaret@chinook.com'],
  ['Johnson', 'Steve', 'Sales Support Agent', 2, '1965-03-03', '2003-10-17', 'Calgary', 'Canada', 'steve@chinook.com'],
  ['Mitchell', 'Michael', 'IT Manager', 1, '1973-07-01', '2003-10-17', 'Calgary', 'Canada', 'michael@chinook.com'],
];
// [FirstName, LastName, Company, City, Country, SupportRepId]
const CUSTOMERS: [string, string, string | null, string, string, number][] = [
  ['Luís', 'Gonçalves', 'Embraer', 'São José dos Campos', 'Brazil', 3], ['Leonie', 'Köhler', null, 'Stuttgart', 'Germany', 5],
  ['François', 'Tremblay', null, 'Montréal', 'Canada', 3], ['Bjørn', 'Hansen', null, 'Oslo', 'Norway', 4],
  ['František', 'Wichterlová', 'JetBrains', 'Prague', 'Czech Republic', 4], ['Helena', 'Holý', null, 'Prague', 'Czech Republic', 5],
  ['Astrid', 'Gruber', null, 'Vienne', 'Austria', 5], ['Daan', 'Peeters', null, 'Brussels', 'Belgium', 4],
  ['Kara', 'Nielsen', null, 'Copenhagen', 'Denmark', 4], ['Eduardo', 'Martins', 'Woodstock', 'São Paulo', 'Brazil', 5],
];


export function buildMusicDatabase(file: string): void {
  const db = new Database(file);
  try {
    db.exec(`
    CREATE TABLE Artist (ArtistId INTEGER PRIMARY KEY, Name NVARCHAR(120));
    CREATE TABLE Album (AlbumId INTEGER PRIMARY KEY, Title NVARCHAR(160) NOT NULL, ArtistId INTEGER NOT NULL REFERENCES Artist(ArtistId));
    CREATE TABLE Genre (GenreId INTEGER PRIMARY KEY, Name NVARCHAR(120));
    CREATE TABLE MediaType (MediaTypeId INTEGER PRIMARY KEY, Name NVARCHAR(120));
    CREATE TABLE Track (TrackId INTEGER PRIMARY KEY, Name NVARCHAR(200) NOT NULL, AlbumId INTEGER REFERENCES Album(AlbumId), MediaTypeId INTEGER NOT NULL REFERENCES MediaType(MediaTypeId),
      GenreId INTEGER REFERENCES Genre(GenreId), Composer NVARCHAR(220), Milliseconds INTEGER NOT NULL, Bytes INTEGER, UnitPrice NUMERIC(10,2) NOT NULL);
    CREATE TABLE Employee (EmployeeId INTEGER PRIMARY KEY, LastName NVARCHAR(20) NOT NULL, FirstName NVARCHAR(20) NOT NULL, Title NVARCHAR(30), ReportsTo INTEGER REFERENCES Employee(EmployeeId),
      BirthDate DATETIME, HireDate DATETIME, City NVARCHAR(40), Country NVARCHAR(40), Email NVARCHAR(60));
    CREATE TABLE Customer (CustomerId INTEGER PRIMARY KEY, FirstName NVARCHAR(40) NOT NULL, LastName NVARCHAR(20) NOT NULL, Company NVARCHAR(80), City NVARCHAR(40), Country NVARCHAR(40),
      Email NVARCHAR(60) NOT NULL, SupportRepId INTEGER REFERENCES Employee(EmployeeId));
    CREATE TABLE Invoice (InvoiceId INTEGER PRIMARY KEY, CustomerId INTEGER NOT NULL REFERENCES Customer(CustomerId), InvoiceDate DATETIME NOT NULL, BillingCity NVARCHAR(40),
      BillingCountry NVARCHAR(40), Total NUMERIC(10,2) NOT NULL);
    CREATE TABLE InvoiceLine (InvoiceLineId INTEGER PRIMARY KEY, InvoiceId INTEGER NOT NULL REFERENCES Invoice(InvoiceId), TrackId INTEGER NOT NULL REFERENCES Track(TrackId),
      UnitPrice NUMERIC(10,2) NOT NULL, Quantity INTEGER NOT NULL);
    `);
    const random = seededRandom(7);
    db.transaction(() => {
      insertRows(db, 'Artist', ARTISTS.map((name, index) => [index + 1, name]));
      insertRows(db, 'Album', ALBUMS.map(([title, artist], index) => [index + 1, title, artist]));
      insertRows(db, 'Genre', GENRES.map((name, index) => [index + 1, name]));
      insertRows(db, 'MediaType', [[1, 'MPEG audio file'], [2, 'AAC audio file']]);
      // [album, genre, number of tracks]; Blues has none.
      const tracks: unknown[][] = [];
      for (const [album, genre, count] of [[1, 1, 5], [2, 1, 4], [3, 3, 4], [4, 1, 5], [5, 2, 5], [6, 4, 4], [7, 1, 6]] as const) {
        for (let k = 0; k < count; k++) {
          const id = tracks.length + 1;
          tracks.push([id, `Track ${album}-${k + 1}`, album, 1 + (k % 2), genre, k % 3 === 0 ? null : `Composer ${album}`, 150000 + Math.floor(random() * 300000), 3000000 + Math.floor(random() * 9000000), k % 4 === 0 ? 1.99 : 0.99]);
        }
      }
      insertRows(db, 'Track', tracks);
      insertRows(db, 'Employee', EMPLOYEES.map((row, index) => [index + 1, ...row]));
      insertRows(db, 'Customer', CUSTOMERS.map(([first, last, company, city, country, rep], index) => [index + 1, first, last, company, city, country, `c${index + 1}@mail.com`, rep]));
      // The last customer has no invoice.
      const invoices: unknown[][] = [];
      const lines: unknown[][] = [];
      for (let customer = 1; customer < CUSTOMERS.length; customer++) {
        const count = 2 + Math.floor(random() * 4);
        for (let k = 0; k < count; k++) {
          const date = `${new Date(Date.UTC(2021, 0, 1) + Math.floor(random() * 1000) * 86_400_000).toISOString().slice(0, 10)} 00:00:00`;
          const invoice = invoices.length + 1;
          let total = 0;
          const lineCount = 1 + Math.floor(random() * 4);
          for (let j = 0; j < lineCount; j++) {
            const track = 1 + Math.floor(random() * tracks.length);
            const price = tracks[track - 1]![8] as number;
            lines.push([lines.length + 1, invoice, track, price, 1]);
            total += price;
          }
          const [, , , city, country] = CUSTOMERS[customer - 1]!;
          invoices.push([invoice, customer, date, city, country, Math.round(total * 100) / 100]);
        }
      }
      insertRows(db, 'Invoice', invoices);
      insertRows(db, 'InvoiceLine', lines);
    })();
  } finally {
    db.close();
  }
}
