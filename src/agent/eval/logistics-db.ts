/**
 * The fourth eval suite's database: a parcel carrier's books, written to share no naming habit with the
 * movies demo, the shop or the hospital. PascalCase singular table names, UPPER_CASE columns, money in
 * integer cents, 0/1 flags (`IS_ACTIVE`, `IS_FRAGILE`), upper-case status codes, a table with two keys to
 * the same table (`Shipment.ORIGIN_DEPOT_ID`, `DEST_DEPOT_ID`), text timestamps, a nullable key
 * (`DRIVER_ID`), a company-name column that is not called "name". Fixed rows plus seeded pseudo-random
 * shipments and parcels: every build is identical (evals/logistics.sqlite is this, committed; a unit
 * test checks they agree).
 */
import Database from 'better-sqlite3';
import { seededRandom } from '../../connectors/sqlite/demo-db.js';
import { insertRows, numbered } from './insert-rows.js';

// [CARRIER_NAME, SCAC_CODE, COUNTRY, IS_ACTIVE]
const CARRIERS: [string, string, string, number][] = [
  ['DHL', 'DHLA', 'Germany', 1], ['PostNord', 'PNRD', 'Sweden', 1], ['GLS', 'GLSE', 'Netherlands', 1],
  ['Chronopost', 'CHRP', 'France', 1], ['Fastway', 'FSTW', 'Ireland', 0],
];

// [DEPOT_NAME, CITY, COUNTRY, CAPACITY_M3]
const DEPOTS: [string, string, string, number][] = [
  ['Hamburg Hub', 'Hamburg', 'Germany', 9000], ['Leipzig Cross-Dock', 'Leipzig', 'Germany', 4200], ['Malmö Terminal', 'Malmö', 'Sweden', 3100],
  ['Rotterdam Port', 'Rotterdam', 'Netherlands', 12000], ['Lyon Sud', 'Lyon', 'France', 2600], ['Dublin North', 'Dublin', 'Ireland', 1500],
];

// [FULL_NAME, LICENCE_NO, CARRIER_ID, HIRED, HOURLY_RATE]
const DRIVERS: [string, string, number, string, number | null][] = [
  ['Jonas Becker', 'DE-4471-K', 1, '2019-04-15', 24.5], ['Petra Wolff', 'DE-9120-B', 1, '2022-08-01', 22],
  ['Anders Nilsson', 'SE-3302-M', 2, '2021-02-10', 27.75], ['Freja Lund', 'SE-7781-A', 2, '2022-11-21', 26],
  ['Daan de Vries', 'NL-1208-T', 3, '2018-06-04', 23.4], ['Sanne Bakker', 'NL-5529-R', 3, '2023-01-16', null],
  ['Hugo Lefort', 'FR-6034-C', 4, '2020-09-07', 21.9], ['Camille Roux', 'FR-2287-D', 4, '2022-03-28', 21.9],
  ['Seán Murphy', 'IE-0913-P', 5, '2017-12-11', 20.5],
];

// [COMPANY, EMAIL, COUNTRY, SIGNED_UP]
const CUSTOMERS: [string, string, string, string][] = [
  ['Nordwind Textil GmbH', 'orders@nordwind.de', 'Germany', '2021-03-02'], ['Fjällbacka Design AB', 'logistik@fjallbacka.se', 'Sweden', '2022-06-18'],
  ['Tulip Parts B.V.', 'ship@tulipparts.nl', 'Netherlands', '2020-11-09'], ['Atelier Sauveterre', 'contact@sauveterre.fr', 'France', '2023-02-27'],
  ['Liffey Books Ltd', 'dispatch@liffeybooks.ie', 'Ireland', '2021-09-14'], ['Bäckerei Krümel', 'info@kruemel.de', 'Germany', '2024-01-05'],
  ['Øresund Medical', 'supply@oresundmed.dk', 'Denmark', '2022-10-30'],
];

const STATUSES = ['DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED', 'IN_TRANSIT', 'PENDING', 'CANCELLED'];
const CONTENTS = ['textiles', 'books', 'machine parts', 'furniture', 'medical supplies', 'ceramics', 'electronics', 'baked goods'];

export function buildLogisticsDatabase(file: string): void {
  const db = new Database(file);
  try {
    db.exec(`
      CREATE TABLE Carrier (CARRIER_ID INTEGER PRIMARY KEY, CARRIER_NAME TEXT NOT NULL, SCAC_CODE TEXT, COUNTRY TEXT, IS_ACTIVE INTEGER NOT NULL);
      CREATE TABLE Depot (DEPOT_ID INTEGER PRIMARY KEY, DEPOT_NAME TEXT NOT NULL, CITY TEXT, COUNTRY TEXT, CAPACITY_M3 INTEGER);
      CREATE TABLE Driver (DRIVER_ID INTEGER PRIMARY KEY, FULL_NAME TEXT NOT NULL, LICENCE_NO TEXT, CARRIER_ID INTEGER REFERENCES Carrier(CARRIER_ID),
        HIRED DATE, HOURLY_RATE REAL);
      CREATE TABLE Customer (CUSTOMER_ID INTEGER PRIMARY KEY, COMPANY TEXT NOT NULL, EMAIL TEXT, COUNTRY TEXT, SIGNED_UP DATE);
      CREATE TABLE Shipment (SHIPMENT_ID INTEGER PRIMARY KEY, REF TEXT NOT NULL, CUSTOMER_ID INTEGER REFERENCES Customer(CUSTOMER_ID),
        CARRIER_ID INTEGER NOT NULL REFERENCES Carrier(CARRIER_ID), DRIVER_ID INTEGER REFERENCES Driver(DRIVER_ID),
        ORIGIN_DEPOT_ID INTEGER NOT NULL REFERENCES Depot(DEPOT_ID), DEST_DEPOT_ID INTEGER NOT NULL REFERENCES Depot(DEPOT_ID),
        STATUS TEXT NOT NULL, CREATED_AT TEXT NOT NULL, DELIVERED_AT TEXT, COST_CENTS INTEGER NOT NULL);
      CREATE TABLE Parcel (PARCEL_ID INTEGER PRIMARY KEY, SHIPMENT_ID INTEGER NOT NULL REFERENCES Shipment(SHIPMENT_ID), WEIGHT_KG REAL NOT NULL,
        IS_FRAGILE INTEGER NOT NULL, CONTENTS TEXT, DECLARED_VALUE REAL);
    `);
    const random = seededRandom(20261206);
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
    db.transaction(() => {
      insertRows(db, 'Carrier', numbered(CARRIERS));
      insertRows(db, 'Depot', numbered(DEPOTS));
      insertRows(db, 'Driver', numbered(DRIVERS));
      insertRows(db, 'Customer', numbered(CUSTOMERS));

      const shipment = db.prepare('INSERT INTO Shipment VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
      const parcel = db.prepare('INSERT INTO Parcel VALUES (?, ?, ?, ?, ?, ?)');
      const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
      let parcelId = 1;
      // Fastway (5) stopped trading and has no shipments; the last customer never shipped; Sanne Bakker (6) drove none.
      for (let id = 1; id <= 90; id++) {
        const carrierId = 1 + Math.floor(random() * 4);
        const drivers = DRIVERS.flatMap((d, index) => (d[2] === carrierId && index !== 5 ? [index + 1] : []));
        const origin = 1 + Math.floor(random() * DEPOTS.length);
        const dest = 1 + ((origin + Math.floor(random() * (DEPOTS.length - 1))) % DEPOTS.length);
        const status = pick(STATUSES);
        const created = Date.UTC(2024, 5, 1) + Math.floor(random() * 540 * 24) * 3_600_000;
        const delivered = status === 'DELIVERED' ? stamp(created + (20 + Math.floor(random() * 100)) * 3_600_000) : null;
        // Pending shipments and about one in ten others have no driver yet.
        const driverId = status === 'PENDING' || random() < 0.1 ? null : pick(drivers);
        const customerId = 1 + Math.floor(random() * (CUSTOMERS.length - 1));
        shipment.run(id, `SH-${String(10000 + id * 7)}`, customerId, carrierId, driverId, origin, dest, status, stamp(created), delivered, 900 + Math.floor(random() * 9000));
        const parcels = 1 + Math.floor(random() * 4);
        for (let k = 0; k < parcels; k++) {
          const weight = Math.round((0.3 + random() * random() * 40) * 10) / 10;
          parcel.run(parcelId++, id, weight, random() < 0.25 ? 1 : 0, pick(CONTENTS), random() < 0.15 ? null : Math.round(random() * 200000) / 100);
        }
      }
    })();
  } finally {
    db.close();
  }
}
