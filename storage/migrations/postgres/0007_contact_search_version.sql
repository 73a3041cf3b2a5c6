-- Which rules folded a contact's search_text (domain::contact_search_version). Contacts stored
-- before this column were folded by version 1, without the other form of a Brazilian mobile; the
-- housekeeper folds them again in batches (storage::refold_contacts), found through the partial
-- index below. A later version of the rules replaces the index with one for its own number.
ALTER TABLE contacts ADD COLUMN search_version INTEGER NOT NULL DEFAULT 1;

CREATE INDEX contacts_stale_search ON contacts (id) WHERE search_version < 2;
