-- Current rows of one core table. The table comes from the entity allow-list in ingest/entities.ts
-- (an Identifier parameter is still checked against it by the caller); FINAL applies replacements
-- and drops rows a snapshot load deleted.
SELECT count() AS n FROM {table:Identifier} FINAL
