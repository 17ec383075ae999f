/**
 * The eighth eval suite's database: a trading company shaped like the well-known Northwind sample (its table
 * and column names, synthetic rows). PascalCase with `ID` suffixes, a text customer key (`ALFKI`), a table
 * whose name has a space (`"Order Details"`), a one-word yes/no integer (`Discontinued`), counts that may be
 * 0 (`UnitsInStock`), three dates on an order (`OrderDate`, `RequiredDate`, `ShippedDate`), a key to its own
 * table (`ReportsTo`), a key named for its use (`ShipVia`). Seeded pseudo-random orders: every build is
 * identical (evals/trade.sqlite is this, committed; a unit test checks they agree).
 */
import Database from 'better-sqlite3';
import { seededRandom } from '../../connectors/sqlite/demo-db.js';
import { insertRows, numbered } from './insert-rows.js';

// [CategoryName, Description]
const CATEGORIES: [string, string][] = [
  ['Beverages', 'Soft drinks, coffees, teas'], ['Condiments', 'Sauces'], ['Confections', 'Desserts'], ['Dairy Products', 'Cheeses'], ['Seafood', 'Seaweed and fish'],
];
// [CompanyName, ContactName, Country, Phone]
const SUPPLIERS: [string, string, string, string][] = [
  ['Exotic Liquids', 'Charlotte Cooper', 'UK', '(171) 555-2222'], ['New Orleans Cajun Delights', 'Shelley Burke', 'USA', '(100) 555-4822'],
  ['Tokyo Traders', 'Yoshi Nagase', 'Japan', '(03) 3555-5011'], ['Pavlova, Ltd.', 'Ian Devling', 'Australia', '(03) 444-2343'],
  ['Norske Meierier', 'Beate Vileid', 'Norway', '(0)2-953010'],
];
// [ProductName, SupplierID, CategoryID, QuantityPerUnit, UnitPrice, UnitsInStock, UnitsOnOrder, ReorderLevel, Discontinued]
const PRODUCTS: [string, number, number, string, number, number, number, number, number][] = [
  ['Chai', 1, 1, '10 boxes x 20 bags', 18, 39, 0, 10, 0], ['Chang', 1, 1, '24 - 12 oz bottles', 19, 17, 40, 25, 0],
  ['Aniseed Syrup', 1, 2, '12 - 550 ml bottles', 10, 13, 70, 25, 0], ["Chef Anton's Cajun Seasoning", 2, 2, '48 - 6 oz jars', 22, 53, 0, 0, 0],
  ["Chef Anton's Gumbo Mix", 2, 2, '36 boxes', 21.35, 0, 0, 0, 1], ['Ikura', 3, 5, '12 - 200 ml jars', 31, 31, 0, 0, 0],
  ['Pavlova', 4, 3, '32 - 500 g boxes', 17.45, 29, 0, 10, 0], ['Geitost', 5, 4, '500 g', 2.5, 112, 0, 20, 0], ['Konbu', 3, 5, '2 kg box', 6, 24, 0, 5, 0],
  ['Guaraná Fantástica', 1, 1, '12 - 355 ml cans', 4.5, 20, 0, 0, 1],
];
// [CustomerID, CompanyName, ContactName, City, Country]
const CUSTOMERS: [string, string, string, string, string][] = [
  ['ALFKI', 'Alfreds Futterkiste', 'Maria Anders', 'Berlin', 'Germany'], ['ANATR', 'Ana Trujillo Emparedados', 'Ana Trujillo', 'México D.F.', 'Mexico'],
  ['AROUT', 'Around the Horn', 'Thomas Hardy', 'London', 'UK'], ['BERGS', 'Berglunds snabbköp', 'Christina Berglund', 'Luleå', 'Sweden'],
  ['BLAUS', 'Blauer See Delikatessen', 'Hanna Moos', 'Mannheim', 'Germany'], ['BONAP', "Bon app'", 'Laurence Lebihan', 'Marseille', 'France'],
];
// [LastName, FirstName, Title, BirthDate, HireDate, City, Country, ReportsTo]
const EMPLOYEES: [string, string, string, string, string, string, string, number | null][] = [
  ['Davolio', 'Nancy', 'Sales Representative', '1968-12-08', '1992-05-01', 'Seattle', 'USA', 2], ['Fuller', 'Andrew', 'Vice President, Sales', '1952-02-19', '1992-08-14', 'Tacoma', 'USA', null],
  ['Leverling', 'Janet', 'Sales Representative', '1963-08-30', '1992-04-01', 'Kirkland', 'USA', 2], ['Peacock', 'Margaret', 'Sales Representative', '1958-09-19', '1993-05-03', 'Redmond', 'USA', 2],
  ['Buchanan', 'Steven', 'Sales Manager', '1955-03-04', '1993-10-17', 'London', 'UK', 2], ['Suyama', 'Michael', 'Sales Representative', '1963-07-02', '1993-10-17', 'London', 'UK', 5],
];
const SHIPPERS: [string, string][] = [['Speedy Express', '(503) 555-9831'], ['United Package', '(503) 555-3199'], ['Federal Shipping', '(503) 555-9931']];


export function buildTradeDatabase(file: string): void {
  const db = new Database(file);
  try {
    db.exec(`
      CREATE TABLE Categories (CategoryID INTEGER PRIMARY KEY, CategoryName TEXT NOT NULL, Description TEXT);
      CREATE TABLE Suppliers (SupplierID INTEGER PRIMARY KEY, CompanyName TEXT NOT NULL, ContactName TEXT, Country TEXT, Phone TEXT);
      CREATE TABLE Products (ProductID INTEGER PRIMARY KEY, ProductName TEXT NOT NULL, SupplierID INTEGER REFERENCES Suppliers(SupplierID), CategoryID INTEGER REFERENCES Categories(CategoryID),
        QuantityPerUnit TEXT, UnitPrice NUMERIC DEFAULT 0, UnitsInStock INTEGER DEFAULT 0, UnitsOnOrder INTEGER DEFAULT 0, ReorderLevel INTEGER DEFAULT 0, Discontinued INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE Customers (CustomerID TEXT PRIMARY KEY, CompanyName TEXT NOT NULL, ContactName TEXT, City TEXT, Country TEXT);
      CREATE TABLE Employees (EmployeeID INTEGER PRIMARY KEY, LastName TEXT NOT NULL, FirstName TEXT NOT NULL, Title TEXT, BirthDate DATE, HireDate DATE, City TEXT, Country TEXT, ReportsTo INTEGER REFERENCES Employees(EmployeeID));
      CREATE TABLE Shippers (ShipperID INTEGER PRIMARY KEY, CompanyName TEXT NOT NULL, Phone TEXT);
      CREATE TABLE Orders (OrderID INTEGER PRIMARY KEY, CustomerID TEXT REFERENCES Customers(CustomerID), EmployeeID INTEGER REFERENCES Employees(EmployeeID), OrderDate DATETIME, RequiredDate DATETIME,
        ShippedDate DATETIME, ShipVia INTEGER REFERENCES Shippers(ShipperID), Freight NUMERIC DEFAULT 0, ShipCity TEXT, ShipCountry TEXT);
      CREATE TABLE "Order Details" (OrderID INTEGER NOT NULL REFERENCES Orders(OrderID), ProductID INTEGER NOT NULL REFERENCES Products(ProductID), UnitPrice NUMERIC NOT NULL, Quantity INTEGER NOT NULL, Discount REAL NOT NULL,
        PRIMARY KEY (OrderID, ProductID));
    `);
    // An employee may report to one listed after them.
    db.pragma('foreign_keys = OFF');
    const random = seededRandom(42);
    const day = (n: number) => `${new Date(Date.UTC(1996, 6, 4) + n * 86_400_000).toISOString().slice(0, 10)} 00:00:00`;
    db.transaction(() => {
      insertRows(db, 'Categories', numbered(CATEGORIES));
      insertRows(db, 'Suppliers', numbered(SUPPLIERS));
      insertRows(db, 'Products', numbered(PRODUCTS));
      insertRows(db, 'Customers', CUSTOMERS);
      insertRows(db, 'Employees', numbered(EMPLOYEES));
      insertRows(db, 'Shippers', numbered(SHIPPERS));
      // The last customer never ordered; the last product was never ordered; about one order in ten is not shipped.
      const orders: unknown[][] = [];
      const details: unknown[][] = [];
      for (let k = 0; k < 40; k++) {
        const id = 10248 + k;
        const [customer, , , city, country] = CUSTOMERS[Math.floor(random() * (CUSTOMERS.length - 1))]!;
        const placed = Math.floor(random() * 700);
        const employee = 1 + Math.floor(random() * EMPLOYEES.length);
        const shipped = random() < 0.9 ? day(placed + 3 + Math.floor(random() * 20)) : null;
        orders.push([id, customer, employee, day(placed), day(placed + 28), shipped, 1 + Math.floor(random() * SHIPPERS.length), Math.round(random() * 20000) / 100, city, country]);
        const products = new Set<number>();
        const lines = 1 + Math.floor(random() * 3);
        for (let j = 0; j < lines; j++) {
          const product = 1 + Math.floor(random() * (PRODUCTS.length - 1));
          if (products.has(product)) continue;
          products.add(product);
          details.push([id, product, PRODUCTS[product - 1]![4], 1 + Math.floor(random() * 40), [0, 0, 0.05, 0.1][Math.floor(random() * 4)]]);
        }
      }
      insertRows(db, 'Orders', orders);
      insertRows(db, '"Order Details"', details);
    })();
  } finally {
    db.close();
  }
}
