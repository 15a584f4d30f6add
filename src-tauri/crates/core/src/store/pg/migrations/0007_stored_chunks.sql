-- Issue 18 item 5 (PostgreSQL only, no SQLite counterpart): stored files kept in the team
-- register. On the local file an evidence file, or a mail kept by the privacy mailbox, is a
-- sealed file in the folder beside the register, named by its keyed name (`evidence.blob`,
-- `intake_items.blob`). Here the same sealed stream (the same format, under the same key
-- from `settings`: no second cipher) is cut into rows of about 1 MiB: row `n` holds bytes
-- n * 1 MiB onwards of the sealed stream. The rows are written in the transaction that adds
-- the evidence row and its event, so a killed client leaves neither. The server never sees
-- the plain bytes; a changed, missing or reordered row fails authentication when read.
CREATE TABLE stored_chunks (
    blob  TEXT COLLATE "C" NOT NULL CHECK (length(blob) = 64),
    n     INT NOT NULL CHECK (n >= 0),
    bytes BYTEA NOT NULL,
    PRIMARY KEY (blob, n)
);
-- Sealed bytes do not compress: kept out of line without trying.
ALTER TABLE stored_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL;

-- The key stored files are sealed under is the `settings` row `evidence.key`, as on the local
-- file: readable by the three groups (and by nobody else: PUBLIC may not even connect),
-- writable by the admin group only. The first file stored needs it, and an officer may not
-- write `settings`: this function, running as the tables' owner, keeps the key the client made
-- (32 random bytes in hex, made by Rightsdesk, never by the server) if there is none yet, and
-- returns the key kept. A register moved in brings its own key in its settings; one that never
-- stored a file has none, and the first file stored makes it. Only officers and admins may run
-- it (`team init` grants it): the auditor stores nothing.
CREATE FUNCTION rightsdesk_evidence_key(candidate text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    kept text;
BEGIN
    IF candidate IS NULL OR candidate !~ '^[0-9a-f]{64}$' THEN
        RAISE EXCEPTION 'a key for stored files is 64 hexadecimal digits' USING ERRCODE = '22023';
    END IF;
    INSERT INTO settings (key, value) VALUES ('evidence.key', candidate) ON CONFLICT (key) DO NOTHING;
    SELECT value INTO kept FROM settings WHERE key = 'evidence.key';
    RETURN kept;
END;
$$;
REVOKE ALL ON FUNCTION rightsdesk_evidence_key(text) FROM PUBLIC;
