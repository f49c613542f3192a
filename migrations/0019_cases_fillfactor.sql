-- A case is written again moments after it arrives (its judgement) and on every click. Room left
-- on each page lets PostgreSQL update the row in place when no indexed column changes (a
-- heap-only tuple), instead of adding an entry to each of the table's indexes. Pages written from
-- now on keep the room.
ALTER TABLE "cases" SET (fillfactor = 85);
