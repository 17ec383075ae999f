/**
 * The second eval suite's database: a small shop (customers, orders, order lines linking orders to
 * products, categories, makers linked to products with a role). Its names look nothing like the movies
 * demo, and some names carry accents. Fixed rows plus seeded pseudo-random orders: every build is
 * identical (evals/shop.sqlite is this, committed; a unit test checks they agree).
 */
import Database from 'better-sqlite3';
import { seededRandom } from '../../connectors/sqlite/demo-db.js';
import { insertRows, numbered } from './insert-rows.js';

// [full_name, city, country, signup_date, loyalty_points]
const CUSTOMERS: [string, string, string, string, number][] = [
  ['Céline Martin', 'Lyon', 'France', '2021-03-14', 420], ['Agnès Roux', 'Paris', 'France', '2020-11-02', 1310],
  ['José Álvarez', 'Málaga', 'Spain', '2022-06-21', 75], ['Zoë Keller', 'Zürich', 'Switzerland', '2019-01-30', 2200],
  ['Marek Nowak', 'Kraków', 'Poland', '2023-02-11', 40], ['Inês Costa', 'Porto', 'Portugal', '2021-09-05', 640],
  ['Björn Lind', 'Uppsala', 'Sweden', '2020-04-18', 980], ['Hannah Weiß', 'München', 'Germany', '2022-12-01', 150],
  ['Tomás Ruiz', 'Sevilla', 'Spain', '2023-07-19', 0], ['Amélie Dubois', 'Lille', 'France', '2019-08-23', 1750],
  ['Luca Bianchi', 'Torino', 'Italy', '2021-05-09', 310], ['Noémie Laurent', 'Nantes', 'France', '2022-01-17', 560],
  ['Søren Holm', 'Aarhus', 'Denmark', '2020-10-10', 820], ['Chiara Ricci', 'Bologna', 'Italy', '2023-03-28', 95],
  ['Ana Silva', 'Lisboa', 'Portugal', '2019-12-12', 1480], ['Jürgen Vogel', 'Köln', 'Germany', '2021-07-07', 260],
  ['Elif Şahin', 'İzmir', 'Turkey', '2022-09-30', 190], ['Paulo Gonçalves', 'São Paulo', 'Brazil', '2020-02-29', 705],
];

const CATEGORIES = ['Kitchen', 'Garden', 'Stationery', 'Lighting', 'Textiles', 'Toys'];

// [product_title, category (1-based), price, stock]
const PRODUCTS: [string, number, number, number][] = [
  ['Cast Iron Skillet', 1, 39.9, 25], ['Chef Knife', 1, 59, 12], ['Espresso Cups (set of 4)', 1, 18.5, 40], ['Bread Tin', 1, 14, 0],
  ['Pruning Shears', 2, 24.5, 30], ['Watering Can', 2, 19, 18], ['Herb Planter', 2, 32, 7], ['Garden Gloves', 2, 9.5, 60],
  ['Fountain Pen', 3, 45, 15], ['Dotted Notebook', 3, 12, 80], ['Brass Ruler', 3, 16, 0], ['Ink Bottle', 3, 8, 55],
  ['Desk Lamp', 4, 79, 9], ['Paper Lantern', 4, 22, 26], ['Reading Light', 4, 34, 14], ['Linen Tablecloth', 5, 49, 11],
  ['Wool Throw', 5, 89, 6], ['Tea Towels (pair)', 5, 15, 45], ['Wooden Train', 6, 29, 20], ['Puzzle Globe', 6, 35, 8],
  ['Kite', 6, 21, 0], ['Salad Bowl', 1, 27, 16],
];

// [maker_name, country]
const MAKERS: [string, string][] = [
  ['Atelier Lefèvre', 'France'], ['Nordisk Form', 'Denmark'], ['Oficina Peña', 'Spain'], ['Fabbrica Moretti', 'Italy'], ['Hütte & Sohn', 'Germany'],
];
// [product (1-based), maker (1-based), role]
const PRODUCT_MAKERS: [number, number, string][] = [
  [1, 5, 'manufacturer'], [1, 1, 'designer'], [2, 5, 'manufacturer'], [2, 2, 'designer'], [3, 4, 'manufacturer'], [3, 4, 'designer'],
  [5, 3, 'manufacturer'], [6, 3, 'manufacturer'], [6, 2, 'designer'], [7, 1, 'designer'], [7, 3, 'manufacturer'], [9, 4, 'manufacturer'],
  [9, 1, 'designer'], [10, 1, 'manufacturer'], [13, 2, 'designer'], [13, 5, 'manufacturer'], [14, 2, 'manufacturer'], [15, 2, 'designer'],
  [15, 4, 'manufacturer'], [16, 1, 'manufacturer'], [17, 2, 'manufacturer'], [17, 2, 'designer'], [19, 5, 'manufacturer'], [20, 4, 'designer'],
  [20, 3, 'manufacturer'], [22, 1, 'designer'], [22, 4, 'manufacturer'],
];
const STATUSES = ['delivered', 'delivered', 'delivered', 'shipped', 'cancelled'];

export function buildShopDatabase(file: string): void {
  const db = new Database(file);
  try {
    db.exec(`
      CREATE TABLE category (cat_id INTEGER PRIMARY KEY, label TEXT NOT NULL);
      CREATE TABLE customer (customer_no INTEGER PRIMARY KEY, full_name TEXT NOT NULL, city TEXT, country TEXT, signup_date TEXT, loyalty_points INTEGER);
      CREATE TABLE product (product_code INTEGER PRIMARY KEY, product_title TEXT NOT NULL, cat_id INTEGER REFERENCES category(cat_id), price REAL, stock INTEGER);
      CREATE TABLE maker (maker_id INTEGER PRIMARY KEY, maker_name TEXT NOT NULL, country TEXT);
      CREATE TABLE product_maker (product_code INTEGER REFERENCES product(product_code), maker_id INTEGER REFERENCES maker(maker_id), role TEXT,
        PRIMARY KEY (product_code, maker_id, role));
      CREATE TABLE purchase_order (order_ref INTEGER PRIMARY KEY, customer_no INTEGER REFERENCES customer(customer_no), placed_on TEXT, status TEXT);
      CREATE TABLE order_item (order_ref INTEGER REFERENCES purchase_order(order_ref), product_code INTEGER REFERENCES product(product_code),
        quantity INTEGER, unit_price REAL, PRIMARY KEY (order_ref, product_code));
    `);
    const random = seededRandom(20250115);
    db.transaction(() => {
      insertRows(db, 'category', numbered(CATEGORIES.map((label) => [label])));
      insertRows(db, 'customer', numbered(CUSTOMERS));
      insertRows(db, 'product', numbered(PRODUCTS));
      insertRows(db, 'maker', numbered(MAKERS));
      insertRows(db, 'product_maker', PRODUCT_MAKERS);
      const order = db.prepare('INSERT INTO purchase_order VALUES (?, ?, ?, ?)');
      const item = db.prepare('INSERT INTO order_item VALUES (?, ?, ?, ?)');
      // The last two customers never ordered: anti-join tasks need someone to find.
      for (let ref = 1; ref <= 70; ref++) {
        const customerNo = 1 + Math.floor(random() * (CUSTOMERS.length - 2));
        const day = new Date(Date.UTC(2023, 0, 1) + Math.floor(random() * 600) * 86_400_000).toISOString().slice(0, 10);
        order.run(ref, customerNo, day, STATUSES[Math.floor(random() * STATUSES.length)]);
        const lines = 1 + Math.floor(random() * 3);
        const chosen = new Set<number>();
        while (chosen.size < lines) chosen.add(1 + Math.floor(random() * (PRODUCTS.length - 1)));
        for (const code of [...chosen].sort((a, b) => a - b)) item.run(ref, code, 1 + Math.floor(random() * 4), PRODUCTS[code - 1]![2]);
      }
    })();
  } finally {
    db.close();
  }
}
