-- A message's key to its contact was checked row by row, with a locking lookup of the contact
-- for each message: on a table of a million messages, 110 to 230 ms of a 10,000-message batch's
-- 400 ms insert (docs/performance.md). The key goes; both things it did stay:
--  * A contact's messages are deleted with it, by the trigger below. Contacts are only ever
--    deleted with their connection or their user.
--  * A message is only written for contacts that the writing transaction has locked first
--    (FOR KEY SHARE: the connection, then its contacts, in one statement for a whole batch;
--    storage/message_queries.cpp and message_store.cpp). A connection deleted meanwhile waits
--    for that transaction, and then takes its new messages too; one deleted first leaves the
--    contacts missing, and the write is refused.
-- SQLite keeps its key (sqlite/0006_contact_lock.sql): it checks one with a probe of a rowid.
ALTER TABLE scheduled_messages DROP CONSTRAINT scheduled_messages_contact_id_fkey;

CREATE FUNCTION delete_contact_messages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM scheduled_messages WHERE contact_id IN (SELECT id FROM old_rows);
  RETURN NULL;
END
$$;

CREATE TRIGGER contacts_delete_messages AFTER DELETE ON contacts
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION delete_contact_messages();
