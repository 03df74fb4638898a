"""The SQL store: schema, connections and migrations, and repositories over it."""
