import { randomUUID } from 'node:crypto';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';

export const DEMO_DATABASE_FILE = 'movies.sqlite';

// [name, birth_year, nationality, awards]
const DIRECTORS: [string, number, string, number][] = [
  ['Ava DuVernay', 1972, 'American', 8],
  ['Christopher Nolan', 1970, 'British', 11],
  ['Greta Gerwig', 1983, 'American', 6],
  ['Bong Joon-ho', 1969, 'South Korean', 14],
  ['Denis Villeneuve', 1967, 'Canadian', 9],
  ['Kathryn Bigelow', 1951, 'American', 10],
  ['Jordan Peele', 1979, 'American', 5],
  ['Chloé Zhao', 1982, 'Chinese', 7],
  ['Quentin Tarantino', 1963, 'American', 12],
  ['Hayao Miyazaki', 1941, 'Japanese', 15],
  ['Sofia Coppola', 1971, 'American', 4],
  ['Alfonso Cuarón', 1961, 'Mexican', 13],
  ['Céline Sciamma', 1978, 'French', 5],
  ['Barry Jenkins', 1979, 'American', 6],
  ['Park Chan-wook', 1963, 'South Korean', 8],
  ['Guillermo del Toro', 1964, 'Mexican', 11],
  ['Jane Campion', 1954, 'New Zealander', 9],
  ['Steven Spielberg', 1946, 'American', 16],
  ['Akira Kurosawa', 1910, 'Japanese', 12],
  ['Agnès Varda', 1928, 'French', 7],
];

// [name, birth_year, nationality]
const ACTORS: [string, number, string][] = [
  ['David Oyelowo', 1976, 'British'], ['Carmen Ejogo', 1973, 'British'], ['Tom Wilkinson', 1948, 'British'],
  ['Oprah Winfrey', 1954, 'American'], ['Storm Reid', 2003, 'American'], ['Reese Witherspoon', 1976, 'American'],
  ['Guy Pearce', 1967, 'Australian'], ['Carrie-Anne Moss', 1967, 'Canadian'], ['Christian Bale', 1974, 'British'],
  ['Heath Ledger', 1979, 'Australian'], ['Leonardo DiCaprio', 1974, 'American'], ['Joseph Gordon-Levitt', 1981, 'American'],
  ['Matthew McConaughey', 1969, 'American'], ['Anne Hathaway', 1982, 'American'], ['Cillian Murphy', 1976, 'Irish'],
  ['Emily Blunt', 1983, 'British'], ['Saoirse Ronan', 1994, 'Irish'], ['Laurie Metcalf', 1955, 'American'],
  ['Timothée Chalamet', 1995, 'American'], ['Florence Pugh', 1996, 'British'], ['Margot Robbie', 1990, 'Australian'],
  ['Ryan Gosling', 1980, 'Canadian'], ['Song Kang-ho', 1967, 'South Korean'], ['Kim Sang-kyung', 1971, 'South Korean'],
  ['Bae Doona', 1979, 'South Korean'], ['Chris Evans', 1981, 'American'], ['Tilda Swinton', 1960, 'British'],
  ['Cho Yeo-jeong', 1981, 'South Korean'], ['Choi Woo-shik', 1990, 'South Korean'], ['Lubna Azabal', 1973, 'Belgian'],
  ['Hugh Jackman', 1968, 'Australian'], ['Jake Gyllenhaal', 1980, 'American'], ['Amy Adams', 1974, 'American'],
  ['Jeremy Renner', 1971, 'American'], ['Harrison Ford', 1942, 'American'], ['Zendaya', 1996, 'American'],
  ['Keanu Reeves', 1964, 'Canadian'], ['Patrick Swayze', 1952, 'American'], ['Jessica Chastain', 1977, 'American'],
  ['John Boyega', 1992, 'British'], ['Daniel Kaluuya', 1989, 'British'], ['Allison Williams', 1988, 'American'],
  ["Lupita Nyong'o", 1983, 'Kenyan'], ['Winston Duke', 1986, 'Trinidadian'], ['Keke Palmer', 1993, 'American'],
  ['Frances McDormand', 1957, 'American'], ['David Strathairn', 1949, 'American'], ['Brady Jandreau', 1989, 'American'],
  ['Gemma Chan', 1982, 'British'], ['John Travolta', 1954, 'American'], ['Uma Thurman', 1970, 'American'],
  ['Samuel L. Jackson', 1948, 'American'], ['Brad Pitt', 1963, 'American'], ['Christoph Waltz', 1956, 'Austrian'],
  ['Jamie Foxx', 1967, 'American'], ['Rumi Hiiragi', 1987, 'Japanese'], ['Yōji Matsuda', 1967, 'Japanese'],
  ['Kirsten Dunst', 1982, 'American'], ['Bill Murray', 1950, 'American'], ['Scarlett Johansson', 1984, 'American'],
  ['Gael García Bernal', 1978, 'Mexican'], ['Diego Luna', 1979, 'Mexican'], ['Clive Owen', 1964, 'British'],
  ['Sandra Bullock', 1964, 'American'], ['Yalitza Aparicio', 1993, 'Mexican'], ['Adèle Haenel', 1989, 'French'],
  ['Noémie Merlant', 1988, 'French'], ['Karidja Touré', 1994, 'French'], ['Mahershala Ali', 1974, 'American'],
  ['Trevante Rhodes', 1990, 'American'], ['KiKi Layne', 1991, 'American'], ['Choi Min-sik', 1962, 'South Korean'],
  ['Kim Min-hee', 1982, 'South Korean'], ['Tang Wei', 1979, 'Chinese'], ['Ivana Baquero', 1994, 'Spanish'],
  ['Sally Hawkins', 1976, 'British'], ['Bradley Cooper', 1975, 'American'], ['Cate Blanchett', 1969, 'Australian'], ['Holly Hunter', 1958, 'American'],
  ['Ben Whishaw', 1980, 'British'], ['Benedict Cumberbatch', 1976, 'British'], ['Roy Scheider', 1932, 'American'],
  ['Liam Neeson', 1952, 'British'], ['Tom Hanks', 1956, 'American'], ['Toshiro Mifune', 1920, 'Japanese'],
  ['Tatsuya Nakadai', 1932, 'Japanese'], ['Corinne Marchand', 1935, 'French'], ['Sandrine Bonnaire', 1967, 'French'],
];

// [title, release_year, director (index into DIRECTORS + 1), genre, runtime_minutes, budget_musd, typical rating, cast [actor, role][]]
type MovieRow = [string, number, number, string, number, number | null, number, [string, string][]];
const MOVIES: MovieRow[] = [
  ['Selma', 2014, 1, 'Drama', 128, 20, 8.4, [['David Oyelowo', 'Martin Luther King Jr.'], ['Carmen Ejogo', 'Coretta Scott King'], ['Tom Wilkinson', 'Lyndon B. Johnson'], ['Oprah Winfrey', 'Annie Lee Cooper']]],
  ['13th', 2016, 1, 'Documentary', 100, 1, 8.6, []],
  ['A Wrinkle in Time', 2018, 1, 'Fantasy', 109, 103, 5.2, [['Storm Reid', 'Meg Murry'], ['Reese Witherspoon', 'Mrs. Whatsit'], ['Oprah Winfrey', 'Mrs. Which']]],
  ['Memento', 2000, 2, 'Thriller', 113, 9, 8.5, [['Guy Pearce', 'Leonard Shelby'], ['Carrie-Anne Moss', 'Natalie']]],
  ['The Dark Knight', 2008, 2, 'Action', 152, 185, 9.0, [['Christian Bale', 'Bruce Wayne'], ['Heath Ledger', 'Joker']]],
  ['Inception', 2010, 2, 'Science Fiction', 148, 160, 8.7, [['Leonardo DiCaprio', 'Cobb'], ['Joseph Gordon-Levitt', 'Arthur'], ['Cillian Murphy', 'Robert Fischer']]],
  ['Interstellar', 2014, 2, 'Science Fiction', 169, 165, 8.6, [['Matthew McConaughey', 'Cooper'], ['Anne Hathaway', 'Brand'], ['Jessica Chastain', 'Murph']]],
  ['Oppenheimer', 2023, 2, 'Biography', 180, 100, 8.5, [['Cillian Murphy', 'J. Robert Oppenheimer'], ['Emily Blunt', 'Kitty Oppenheimer'], ['Florence Pugh', 'Jean Tatlock']]],
  ['Lady Bird', 2017, 3, 'Comedy', 94, 10, 7.4, [['Saoirse Ronan', 'Christine "Lady Bird" McPherson'], ['Laurie Metcalf', 'Marion McPherson'], ['Timothée Chalamet', 'Kyle Scheible']]],
  ['Little Women', 2019, 3, 'Drama', 135, 40, 7.8, [['Saoirse Ronan', 'Jo March'], ['Florence Pugh', 'Amy March'], ['Timothée Chalamet', 'Laurie']]],
  ['Barbie', 2023, 3, 'Comedy', 114, 145, 6.9, [['Margot Robbie', 'Barbie'], ['Ryan Gosling', 'Ken']]],
  ['Memories of Murder', 2003, 4, 'Crime', 131, 2.8, 8.1, [['Song Kang-ho', 'Detective Park Doo-man'], ['Kim Sang-kyung', 'Detective Seo Tae-yoon']]],
  ['The Host', 2006, 4, 'Horror', 119, 11, 7.1, [['Song Kang-ho', 'Park Gang-du'], ['Bae Doona', 'Park Nam-joo']]],
  ['Snowpiercer', 2013, 4, 'Science Fiction', 126, 40, 7.1, [['Chris Evans', 'Curtis Everett'], ['Song Kang-ho', 'Namgoong Minsoo'], ['Tilda Swinton', 'Mason']]],
  ['Parasite', 2019, 4, 'Thriller', 132, 11.4, 9.1, [['Song Kang-ho', 'Kim Ki-taek'], ['Cho Yeo-jeong', 'Park Yeon-kyo'], ['Choi Woo-shik', 'Kim Ki-woo']]],
  ['Incendies', 2010, 5, 'Drama', 131, 6.8, 8.3, [['Lubna Azabal', 'Nawal Marwan']]],
  ['Prisoners', 2013, 5, 'Thriller', 153, 46, 8.1, [['Hugh Jackman', 'Keller Dover'], ['Jake Gyllenhaal', 'Detective Loki']]],
  ['Arrival', 2016, 5, 'Science Fiction', 116, 47, 7.9, [['Amy Adams', 'Louise Banks'], ['Jeremy Renner', 'Ian Donnelly']]],
  ['Blade Runner 2049', 2017, 5, 'Science Fiction', 164, 150, 8.0, [['Ryan Gosling', 'K'], ['Harrison Ford', 'Rick Deckard']]],
  ['Dune', 2021, 5, 'Science Fiction', 155, 165, 8.0, [['Timothée Chalamet', 'Paul Atreides'], ['Zendaya', 'Chani']]],
  ['Point Break', 1991, 6, 'Action', 122, 24, 7.2, [['Keanu Reeves', 'Johnny Utah'], ['Patrick Swayze', 'Bodhi']]],
  ['The Hurt Locker', 2008, 6, 'War', 131, 15, 7.5, [['Jeremy Renner', 'Staff Sgt. William James']]],
  ['Zero Dark Thirty', 2012, 6, 'Thriller', 157, 40, 7.4, [['Jessica Chastain', 'Maya']]],
  ['Detroit', 2017, 6, 'Crime', 143, 34, 7.2, [['John Boyega', 'Melvin Dismukes']]],
  ['Get Out', 2017, 7, 'Horror', 104, 4.5, 8.2, [['Daniel Kaluuya', 'Chris Washington'], ['Allison Williams', 'Rose Armitage']]],
  ['Us', 2019, 7, 'Horror', 116, 20, 6.9, [["Lupita Nyong'o", 'Adelaide Wilson'], ['Winston Duke', 'Gabe Wilson']]],
  ['Nope', 2022, 7, 'Horror', 130, 68, 6.8, [['Daniel Kaluuya', 'OJ Haywood'], ['Keke Palmer', 'Emerald Haywood']]],
  ['Songs My Brothers Taught Me', 2015, 8, 'Drama', 94, 0.1, 6.5, []],
  ['The Rider', 2017, 8, 'Western', 104, 1, 7.3, [['Brady Jandreau', 'Brady Blackburn']]],
  ['Nomadland', 2020, 8, 'Drama', 108, 5, 7.6, [['Frances McDormand', 'Fern'], ['David Strathairn', 'Dave']]],
  ['Eternals', 2021, 8, 'Action', 156, 200, 5.9, [['Gemma Chan', 'Sersi']]],
  ['Pulp Fiction', 1994, 9, 'Crime', 154, 8.5, 8.9, [['John Travolta', 'Vincent Vega'], ['Uma Thurman', 'Mia Wallace'], ['Samuel L. Jackson', 'Jules Winnfield']]],
  ['Kill Bill: Volume 1', 2003, 9, 'Action', 111, 30, 8.0, [['Uma Thurman', 'The Bride']]],
  ['Inglourious Basterds', 2009, 9, 'War', 153, 70, 8.3, [['Brad Pitt', 'Lt. Aldo Raine'], ['Christoph Waltz', 'Col. Hans Landa']]],
  ['Django Unchained', 2012, 9, 'Western', 165, 100, 8.4, [['Jamie Foxx', 'Django'], ['Christoph Waltz', 'Dr. King Schultz'], ['Leonardo DiCaprio', 'Calvin Candie'], ['Samuel L. Jackson', 'Stephen']]],
  ['My Neighbor Totoro', 1988, 10, 'Animation', 86, 3.7, 8.2, []],
  ['Princess Mononoke', 1997, 10, 'Animation', 134, 23.5, 8.4, [['Yōji Matsuda', 'Ashitaka']]],
  ['Spirited Away', 2001, 10, 'Animation', 125, 19, 8.9, [['Rumi Hiiragi', 'Chihiro Ogino']]],
  ['The Boy and the Heron', 2023, 10, 'Animation', 124, null, 7.6, []],
  ['The Virgin Suicides', 1999, 11, 'Drama', 97, 6, 7.1, [['Kirsten Dunst', 'Lux Lisbon']]],
  ['Lost in Translation', 2003, 11, 'Drama', 102, 4, 7.7, [['Bill Murray', 'Bob Harris'], ['Scarlett Johansson', 'Charlotte']]],
  ['Marie Antoinette', 2006, 11, 'Biography', 123, 40, 6.4, [['Kirsten Dunst', 'Marie Antoinette']]],
  ['Y Tu Mamá También', 2001, 12, 'Drama', 106, 5, 7.7, [['Gael García Bernal', 'Julio Zapata'], ['Diego Luna', 'Tenoch Iturbide']]],
  ['Children of Men', 2006, 12, 'Science Fiction', 109, 76, 7.9, [['Clive Owen', 'Theo Faron']]],
  ['Gravity', 2013, 12, 'Science Fiction', 91, 100, 7.7, [['Sandra Bullock', 'Dr. Ryan Stone']]],
  ['Roma', 2018, 12, 'Drama', 135, 15, 7.7, [['Yalitza Aparicio', 'Cleo']]],
  ['Tomboy', 2011, 13, 'Drama', 82, 1, 7.5, []],
  ['Girlhood', 2014, 13, 'Drama', 113, 4, 6.9, [['Karidja Touré', 'Marieme']]],
  ['Portrait of a Lady on Fire', 2019, 13, 'Romance', 122, 5, 8.3, [['Adèle Haenel', 'Héloïse'], ['Noémie Merlant', 'Marianne']]],
  ['Petite Maman', 2021, 13, 'Drama', 72, 4, 7.3, []],
  ['Medicine for Melancholy', 2008, 14, 'Romance', 88, 0.01, 6.6, []],
  ['Moonlight', 2016, 14, 'Drama', 111, 4, 8.1, [['Mahershala Ali', 'Juan'], ['Trevante Rhodes', 'Chiron (adult)']]],
  ['If Beale Street Could Talk', 2018, 14, 'Romance', 119, 12, 7.1, [['KiKi Layne', 'Tish Rivers']]],
  ['Oldboy', 2003, 15, 'Thriller', 120, 3, 8.4, [['Choi Min-sik', 'Oh Dae-su']]],
  ['The Handmaiden', 2016, 15, 'Thriller', 145, 8.8, 8.1, [['Kim Min-hee', 'Lady Hideko']]],
  ['Decision to Leave', 2022, 15, 'Mystery', 138, 11, 7.3, [['Tang Wei', 'Song Seo-rae']]],
  ["Pan's Labyrinth", 2006, 16, 'Fantasy', 118, 19, 8.2, [['Ivana Baquero', 'Ofelia']]],
  ['The Shape of Water', 2017, 16, 'Fantasy', 123, 19.5, 7.3, [['Sally Hawkins', 'Elisa Esposito']]],
  ['Nightmare Alley', 2021, 16, 'Thriller', 150, 60, 7.0, [['Bradley Cooper', 'Stanton Carlisle'], ['Cate Blanchett', 'Dr. Lilith Ritter']]],
  ['The Piano', 1993, 17, 'Drama', 121, 7, 7.5, [['Holly Hunter', 'Ada McGrath']]],
  ['Bright Star', 2009, 17, 'Romance', 119, 8.5, 6.9, [['Ben Whishaw', 'John Keats']]],
  ['The Power of the Dog', 2021, 17, 'Western', 126, 39, 6.8, [['Benedict Cumberbatch', 'Phil Burbank'], ['Kirsten Dunst', 'Rose Gordon']]],
  ['Jaws', 1975, 18, 'Thriller', 124, 9, 8.1, [['Roy Scheider', 'Martin Brody']]],
  ['E.T. the Extra-Terrestrial', 1982, 18, 'Family', 115, 10.5, 7.9, []],
  ["Schindler's List", 1993, 18, 'History', 195, 22, 9.0, [['Liam Neeson', 'Oskar Schindler']]],
  ['Saving Private Ryan', 1998, 18, 'War', 169, 70, 8.6, [['Tom Hanks', 'Captain John H. Miller']]],
  ['Rashomon', 1950, 19, 'Drama', 88, 0.25, 8.2, [['Toshiro Mifune', 'Tajōmaru']]],
  ['Seven Samurai', 1954, 19, 'Action', 207, 0.5, 8.9, [['Toshiro Mifune', 'Kikuchiyo']]],
  ['Ran', 1985, 19, 'War', 162, 11, 8.2, [['Tatsuya Nakadai', 'Lord Hidetora Ichimonji']]],
  ['Cléo from 5 to 7', 1962, 20, 'Drama', 90, null, 7.8, [['Corinne Marchand', 'Cléo Victoire']]],
  ['Vagabond', 1985, 20, 'Drama', 105, null, 7.7, [['Sandrine Bonnaire', 'Mona Bergeron']]],
  ['The Gleaners and I', 2000, 20, 'Documentary', 82, null, 7.7, []],
];

const REVIEWERS = ['cinephile_anna', 'reeltalk_ben', 'midnight_matinee', 'frame_by_frame', 'popcorn_priya', 'the_critic_kofi', 'lucia_watches', 'arthouse_jun', 'weekend_viewer', 'filmnerd_olu', 'marta_on_movies', 'second_row_sam'];
const COMMENTS: [number, string[]][] = [
  [8.5, ['A masterpiece; I keep thinking about it.', 'Every frame is deliberate. Stunning.', 'One of the best films of its decade.']],
  [7, ['Great performances and a confident director.', 'Absorbing, if a little long.', 'Worth seeing on the big screen.']],
  [5, ['Some strong moments, uneven overall.', 'Good ideas, patchy execution.', 'Fine for a quiet evening.']],
  [0, ['Did not work for me.', 'Beautiful to look at but hollow.', 'Too long and too loud.']],
];

/** mulberry32: a tiny seeded PRNG, so the generated reviews are identical on every build. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function build(file: string): void {
  const db = new Database(file);
  try {
    db.exec(`
      CREATE TABLE directors (director_id INTEGER PRIMARY KEY, name TEXT NOT NULL, birth_year INTEGER, nationality TEXT, awards INTEGER);
      CREATE TABLE movies (movie_id INTEGER PRIMARY KEY, title TEXT NOT NULL, release_year INTEGER, director_id INTEGER REFERENCES directors(director_id),
        genre TEXT, runtime_minutes INTEGER, budget_musd REAL);
      CREATE TABLE actors (actor_id INTEGER PRIMARY KEY, name TEXT NOT NULL, birth_year INTEGER, nationality TEXT);
      CREATE TABLE movie_actors (movie_id INTEGER REFERENCES movies(movie_id), actor_id INTEGER REFERENCES actors(actor_id), role TEXT,
        PRIMARY KEY (movie_id, actor_id));
      CREATE TABLE reviews (review_id INTEGER PRIMARY KEY, movie_id INTEGER REFERENCES movies(movie_id), reviewer TEXT, rating REAL,
        review_date TEXT, comment TEXT);
    `);
    const random = seededRandom(20240601);
    const actorIds = new Map(ACTORS.map(([name], index) => [name, index + 1]));
    db.transaction(() => {
      const director = db.prepare('INSERT INTO directors VALUES (?, ?, ?, ?, ?)');
      DIRECTORS.forEach((row, index) => director.run(index + 1, ...row));
      const actor = db.prepare('INSERT INTO actors VALUES (?, ?, ?, ?)');
      ACTORS.forEach((row, index) => actor.run(index + 1, ...row));
      const movie = db.prepare('INSERT INTO movies VALUES (?, ?, ?, ?, ?, ?, ?)');
      const role = db.prepare('INSERT INTO movie_actors VALUES (?, ?, ?)');
      const review = db.prepare('INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?)');
      let reviewId = 0;
      MOVIES.forEach(([title, year, directorId, genre, runtime, budget, typical, cast], index) => {
        const movieId = index + 1;
        movie.run(movieId, title, year, directorId, genre, runtime, budget);
        for (const [name, part] of cast) {
          const actorId = actorIds.get(name);
          if (actorId === undefined) throw new Error(`demo data: actor ${name} is not in ACTORS`);
          role.run(movieId, actorId, part);
        }
        const count = 3 + Math.floor(random() * 6);
        for (let n = 0; n < count; n++) {
          const rating = Math.min(10, Math.max(1, Math.round((typical + (random() - 0.5) * 2.4) * 10) / 10));
          const date = new Date(Date.UTC(Math.max(year, 2000), 0, 1) + Math.floor(random() * 3650) * 86_400_000).toISOString().slice(0, 10);
          const phrases = COMMENTS.find(([floor]) => rating >= floor)![1];
          review.run(++reviewId, movieId, REVIEWERS[Math.floor(random() * REVIEWERS.length)], rating, date, phrases[Math.floor(random() * phrases.length)]);
        }
      });
    })();
  } finally {
    db.close();
  }
}

/**
 * Returns the path of the bundled movies database in `dir`, building it if missing. The content is
 * fixed data plus seeded pseudo-random reviews, so every build holds exactly the same rows. It is
 * built under a temp name and renamed into place, so concurrent callers never see a partial file.
 */
export async function ensureDemoDatabase(dir: string): Promise<string> {
  const file = path.join(dir, DEMO_DATABASE_FILE);
  try {
    await access(file);
    return file;
  } catch {
    // Missing: build it below.
  }
  await mkdir(dir, { recursive: true });
  const temp = `${file}.${randomUUID()}.tmp`;
  try {
    build(temp);
    await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
  return file;
}
