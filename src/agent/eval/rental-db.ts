/**
 * The seventh eval suite's database: a film-rental store shaped like the well-known Sakila sample (its table
 * and column names, synthetic rows), the other schema outside checks reach for. snake_case with tables named
 * like their own columns (`city.city`, `country.country`), `last_update` on every table, link tables
 * (`film_actor`, `film_category`), rows related through several tables (a film's rentals go through its
 * inventory), a rating next to a rate, a length without a unit, BOOLEAN `active`, upper-case actor names over
 * two columns. Seeded pseudo-random rentals: every build is identical (evals/rental.sqlite is this, committed;
 * a unit test checks they agree).
 */
import Database from 'better-sqlite3';
import { insertRows } from './insert-rows.js';
import { seededRandom } from '../../connectors/sqlite/demo-db.js';

const UPDATED = '2006-02-15 04:34:33';
// [title, rating, length, rental_rate, replacement_cost, language_id]
const FILMS: [string, string, number, number, number, number][] = [
  ['ACADEMY DINOSAUR', 'PG', 86, 0.99, 20.99, 1], ['ACE GOLDFINGER', 'G', 48, 4.99, 12.99, 1], ['ADAPTATION HOLES', 'NC-17', 50, 2.99, 18.99, 1],
  ['AFFAIR PREJUDICE', 'G', 117, 2.99, 26.99, 1], ['AGENT TRUMAN', 'PG', 169, 2.99, 17.99, 1], ['AIRPLANE SIERRA', 'PG-13', 62, 4.99, 28.99, 2],
  ['ALADDIN CALENDAR', 'NC-17', 63, 4.99, 24.99, 1], ['ALAMO VIDEOTAPE', 'G', 126, 0.99, 16.99, 3], ['ALIEN CENTER', 'NC-17', 46, 2.99, 10.99, 1],
  ['ALLEY EVOLUTION', 'NC-17', 180, 2.99, 23.99, 1],
];
// [first_name, last_name, store_id, active]
const CUSTOMERS: [string, string, number, number][] = [
  ['MARY', 'SMITH', 1, 1], ['PATRICIA', 'JOHNSON', 1, 1], ['LINDA', 'WILLIAMS', 2, 1], ['BARBARA', 'JONES', 2, 0], ['ELIZABETH', 'BROWN', 1, 1],
  ['JENNIFER', 'DAVIS', 2, 1], ['MARIA', 'MILLER', 1, 0],
];

export function buildRentalDatabase(file: string): void {
  const db = new Database(file);
  try {
    db.exec(`
      CREATE TABLE country (country_id INTEGER PRIMARY KEY, country VARCHAR(50) NOT NULL, last_update TIMESTAMP NOT NULL);
      CREATE TABLE city (city_id INTEGER PRIMARY KEY, city VARCHAR(50) NOT NULL, country_id INTEGER NOT NULL REFERENCES country(country_id), last_update TIMESTAMP NOT NULL);
      CREATE TABLE address (address_id INTEGER PRIMARY KEY, address VARCHAR(50) NOT NULL, district VARCHAR(20), city_id INTEGER NOT NULL REFERENCES city(city_id), postal_code VARCHAR(10), phone VARCHAR(20) NOT NULL, last_update TIMESTAMP NOT NULL);
      CREATE TABLE language (language_id INTEGER PRIMARY KEY, name CHAR(20) NOT NULL, last_update TIMESTAMP NOT NULL);
      CREATE TABLE category (category_id INTEGER PRIMARY KEY, name VARCHAR(25) NOT NULL, last_update TIMESTAMP NOT NULL);
      CREATE TABLE actor (actor_id INTEGER PRIMARY KEY, first_name VARCHAR(45) NOT NULL, last_name VARCHAR(45) NOT NULL, last_update TIMESTAMP NOT NULL);
      CREATE TABLE film (film_id INTEGER PRIMARY KEY, title VARCHAR(255) NOT NULL, description TEXT, release_year INTEGER, language_id INTEGER NOT NULL REFERENCES language(language_id),
        rental_duration INTEGER NOT NULL, rental_rate DECIMAL(4,2) NOT NULL, length INTEGER, replacement_cost DECIMAL(5,2) NOT NULL, rating VARCHAR(10), last_update TIMESTAMP NOT NULL);
      CREATE TABLE film_actor (actor_id INTEGER NOT NULL REFERENCES actor(actor_id), film_id INTEGER NOT NULL REFERENCES film(film_id), last_update TIMESTAMP NOT NULL, PRIMARY KEY (actor_id, film_id));
      CREATE TABLE film_category (film_id INTEGER NOT NULL REFERENCES film(film_id), category_id INTEGER NOT NULL REFERENCES category(category_id), last_update TIMESTAMP NOT NULL, PRIMARY KEY (film_id, category_id));
      CREATE TABLE store (store_id INTEGER PRIMARY KEY, manager_staff_id INTEGER NOT NULL, address_id INTEGER NOT NULL REFERENCES address(address_id), last_update TIMESTAMP NOT NULL);
      CREATE TABLE staff (staff_id INTEGER PRIMARY KEY, first_name VARCHAR(45) NOT NULL, last_name VARCHAR(45) NOT NULL, address_id INTEGER NOT NULL REFERENCES address(address_id), email VARCHAR(50),
        store_id INTEGER NOT NULL REFERENCES store(store_id), active BOOLEAN NOT NULL, username VARCHAR(16) NOT NULL, last_update TIMESTAMP NOT NULL);
      CREATE TABLE customer (customer_id INTEGER PRIMARY KEY, store_id INTEGER NOT NULL REFERENCES store(store_id), first_name VARCHAR(45) NOT NULL, last_name VARCHAR(45) NOT NULL, email VARCHAR(50),
        address_id INTEGER NOT NULL REFERENCES address(address_id), active BOOLEAN NOT NULL, create_date DATETIME NOT NULL, last_update TIMESTAMP);
      CREATE TABLE inventory (inventory_id INTEGER PRIMARY KEY, film_id INTEGER NOT NULL REFERENCES film(film_id), store_id INTEGER NOT NULL REFERENCES store(store_id), last_update TIMESTAMP NOT NULL);
      CREATE TABLE rental (rental_id INTEGER PRIMARY KEY, rental_date DATETIME NOT NULL, inventory_id INTEGER NOT NULL REFERENCES inventory(inventory_id), customer_id INTEGER NOT NULL REFERENCES customer(customer_id),
        return_date DATETIME, staff_id INTEGER NOT NULL REFERENCES staff(staff_id), last_update TIMESTAMP NOT NULL);
      CREATE TABLE payment (payment_id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customer(customer_id), staff_id INTEGER NOT NULL REFERENCES staff(staff_id), rental_id INTEGER REFERENCES rental(rental_id),
        amount DECIMAL(5,2) NOT NULL, payment_date DATETIME NOT NULL, last_update TIMESTAMP);
    `);
    const random = seededRandom(99);
    const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
    db.transaction(() => {
      insertRows(db, 'country', [[1, 'Canada', UPDATED], [2, 'Australia', UPDATED], [3, 'Japan', UPDATED]]);
      insertRows(db, 'city', [[1, 'Lethbridge', 1, UPDATED], [2, 'Woodridge', 2, UPDATED], [3, 'Osaka', 3, UPDATED], [4, 'Toronto', 1, UPDATED]]);
      insertRows(db, 'address', [
        [1, '47 MySakila Drive', 'Alberta', 1, null, '123', UPDATED], [2, '28 MySQL Boulevard', 'QLD', 2, null, '456', UPDATED],
        [3, '1913 Hanoi Way', 'Osaka', 3, '35200', '789', UPDATED], [4, '692 Joliet Street', 'Ontario', 4, '83579', '101', UPDATED],
        [5, '1121 Loja Avenue', 'Ontario', 4, '17886', '202', UPDATED],
      ]);
      insertRows(db, 'language', [[1, 'English', UPDATED], [2, 'Japanese', UPDATED], [3, 'French', UPDATED]]);
      insertRows(db, 'category', ['Action', 'Comedy', 'Documentary', 'Horror', 'Music'].map((name, index) => [index + 1, name, UPDATED]));
      insertRows(db, 'actor', [['PENELOPE', 'GUINESS'], ['NICK', 'WAHLBERG'], ['ED', 'CHASE'], ['JENNIFER', 'DAVIS'], ['JOHNNY', 'LOLLOBRIGIDA'], ['BETTE', 'NICHOLSON']].map(([first, last], index) => [index + 1, first, last, UPDATED]));
      insertRows(db, 'film', FILMS.map(([title, rating, length, rate, cost, language], index) => [index + 1, title, `A ${title.toLowerCase()} story`, 2006, language, 3 + (index % 4), rate, length, cost, rating, UPDATED]));
      // One to three actors per film; the last actor plays in none.
      const cast: unknown[][] = [];
      for (let film = 1; film <= FILMS.length; film++) {
        const actors = new Set<number>();
        const count = 1 + Math.floor(random() * 3);
        for (let k = 0; k < count; k++) actors.add(1 + Math.floor(random() * 5));
        for (const actor of actors) cast.push([actor, film, UPDATED]);
      }
      insertRows(db, 'film_actor', cast);
      insertRows(db, 'film_category', FILMS.map((_, index) => [index + 1, 1 + (index % 4), UPDATED]));
      insertRows(db, 'store', [[1, 1, 1, UPDATED], [2, 2, 2, UPDATED]]);
      insertRows(db, 'staff', [
        [1, 'Mike', 'Hillyer', 3, 'Mike.Hillyer@sakilastaff.com', 1, 1, 'Mike', UPDATED], [2, 'Jon', 'Stephens', 4, 'Jon.Stephens@sakilastaff.com', 2, 1, 'Jon', UPDATED],
        [3, 'Ada', 'Byrne', 5, null, 2, 0, 'Ada', UPDATED],
      ]);
      insertRows(db, 'customer', CUSTOMERS.map(([first, last, store, active], index) => [index + 1, store, first, last, `${first}.${last}@sakilacustomer.org`, 3 + (index % 3), active, '2006-02-14 22:04:36', UPDATED]));
      const inventory: unknown[][] = [];
      for (let film = 1; film <= FILMS.length; film++) for (let store = 1; store <= 2; store++) if ((film + store) % 3 !== 0) inventory.push([inventory.length + 1, film, store, UPDATED]);
      insertRows(db, 'inventory', inventory);
      // The last customer has never rented; about one rental in seven is not returned yet.
      const rentals: unknown[][] = [];
      const payments: unknown[][] = [];
      for (let customer = 1; customer < CUSTOMERS.length; customer++) {
        const count = 2 + Math.floor(random() * 4);
        for (let k = 0; k < count; k++) {
          const start = Date.UTC(2005, 4, 24) + Math.floor(random() * 90) * 86_400_000 + Math.floor(random() * 86_400) * 1000;
          const returned = random() < 0.85 ? stamp(start + (1 + Math.floor(random() * 8)) * 86_400_000) : null;
          const staff = 1 + Math.floor(random() * 2);
          const id = rentals.length + 1;
          rentals.push([id, stamp(start), 1 + Math.floor(random() * inventory.length), customer, returned, staff, UPDATED]);
          payments.push([id, customer, staff, id, [0.99, 2.99, 4.99, 5.99][Math.floor(random() * 4)], stamp(start), UPDATED]);
        }
      }
      insertRows(db, 'rental', rentals);
      insertRows(db, 'payment', payments);
    })();
  } finally {
    db.close();
  }
}
