// Versioned schema migrations. Append only: a released migration is never edited.
export const MIGRATIONS: Array<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'articles, mentions, events, revisions',
    sql: `
      CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        url TEXT,
        title TEXT,
        publisher TEXT,
        published TEXT,
        published_source TEXT,
        text TEXT NOT NULL,
        flags TEXT NOT NULL DEFAULT '[]',
        ingested_at TEXT NOT NULL
      );
      CREATE INDEX articles_url ON articles(url);
      CREATE TABLE mentions (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id),
        event_key TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX mentions_key ON mentions(event_key);
      CREATE INDEX mentions_article ON mentions(article_id);
      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        event_key TEXT NOT NULL UNIQUE,
        date TEXT,
        region TEXT,
        locality TEXT,
        status TEXT NOT NULL,
        macroevent TEXT,
        revision INTEGER NOT NULL,
        record TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX events_date ON events(date);
      CREATE INDEX events_region ON events(region, date);
      CREATE TABLE event_revisions (
        event_id TEXT NOT NULL REFERENCES events(id),
        revision INTEGER NOT NULL,
        record TEXT NOT NULL,
        reason TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (event_id, revision)
      );
    `,
  },
];
