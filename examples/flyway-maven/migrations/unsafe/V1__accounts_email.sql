-- looks harmless, locks the table against writes for the whole build
CREATE INDEX accounts_email ON accounts (email);
