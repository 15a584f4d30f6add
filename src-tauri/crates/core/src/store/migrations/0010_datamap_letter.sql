-- What the answer package's cover letter says per system besides purposes,
-- categories, recipients and retention: the lawful basis, and where the data
-- comes from when not from the subject (GDPR Art. 15(1)(g)). Empty until the
-- officer fills them in; the letter then shows a dash.
ALTER TABLE systems ADD COLUMN legal_basis TEXT NOT NULL DEFAULT '';
ALTER TABLE systems ADD COLUMN source TEXT NOT NULL DEFAULT '';
