-- drop it
ALTER TABLE users DROP COLUMN email;
INSERT INTO t VALUES ('DROP COLUMN x', E'\'');
CREATE FUNCTION f() AS $body$ DROP TABLE x; $body$;
/* nested /* comment */ */
CREATE INDEX i ON t (c);
