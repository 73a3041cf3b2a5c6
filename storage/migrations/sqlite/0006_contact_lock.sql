-- PostgreSQL replaces a message's key to its contact with a trigger and locks taken by the
-- writes (postgres/0006_contact_lock.sql), because it checked that key row by row at a cost of
-- up to half a batch's insert. SQLite checks a key with a probe of the contact's rowid and runs
-- one write at a time, so its key stays: nothing changes here.
SELECT 1;
